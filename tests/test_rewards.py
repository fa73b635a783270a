import json

import pytest
import torch

from gapo.rewards import (
    FrequencyAwareReward,
    OpenSetReward,
    PartitionReward,
    build_reward,
    frequency_aware_reward,
    open_set_reward,
    partition_reward,
    validity_reward,
)
from gapo.rewards.embedding import mean_cosine_distance

V4 = ["a", "b", "c", "d"]  # L = 4, 1/L = 0.25


def test_all_the_same_answer_is_penalised_by_its_excess():
    # f = 1 for the only answer: 1 - (1 - 1/4)
    assert frequency_aware_reward(["a"] * 4, V4) == pytest.approx([0.25] * 4)


def test_all_invalid_get_the_invalid_reward():
    assert frequency_aware_reward([None, "z", None], V4) == [-1.0, -1.0, -1.0]
    assert frequency_aware_reward([None, None], V4, invalid_reward=0.0) == [0.0, 0.0]


def test_mixed_valid_and_invalid_frequencies_count_valid_completions_only():
    # valid: a, a, b -> f_a = 2/3, f_b = 1/3
    got = frequency_aware_reward(["a", None, "a", "b"], V4)
    assert got == pytest.approx([1 - (2 / 3 - 0.25), -1.0, 1 - (2 / 3 - 0.25), 1 - (1 / 3 - 0.25)])


def test_single_valid_completion_has_frequency_one():
    assert frequency_aware_reward([None, "c", None], V4) == pytest.approx([-1.0, 0.25, -1.0])


def test_group_smaller_than_the_list():
    # G = 2 < L = 4, distinct answers: f = 1/2 each
    assert frequency_aware_reward(["a", "b"], V4) == pytest.approx([0.75, 0.75])


def test_group_equal_to_the_list_uniform_gets_the_maximum():
    assert frequency_aware_reward(V4, V4) == pytest.approx([1.0] * 4)
    assert frequency_aware_reward(V4, V4, form="abs") == pytest.approx([1.0] * 4)


def test_group_larger_than_the_list_signed_boosts_underrepresented():
    # PAPER.md's example: L = 2, G = 8, six "a" and two "b"
    answers = ["a"] * 6 + ["b"] * 2
    assert frequency_aware_reward(answers, ["a", "b"]) == pytest.approx([0.75] * 6 + [1.25] * 2)
    assert frequency_aware_reward(answers, ["a", "b"], form="abs") == pytest.approx([0.75] * 8)


def test_forms_agree_when_group_not_larger_than_list():
    answers = ["a", "a", "b"]
    assert frequency_aware_reward(answers, V4) == pytest.approx(frequency_aware_reward(answers, V4, form="abs"))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="form"):
        frequency_aware_reward(["a"], V4, form="squared")
    with pytest.raises(ValueError, match="empty"):
        frequency_aware_reward(["a"], [])


def test_group_reward_parses_completions_in_both_trl_forms():
    reward = FrequencyAwareReward()
    completions = ["a", [{"role": "assistant", "content": "B"}], "no idea", "a ."]
    assert reward("prompt", completions, valid=["a", "b"]) == pytest.approx(
        [1 - (2 / 3 - 0.5), 1 - (1 / 3 - 0.5), -1, 1 - (2 / 3 - 0.5)]
    )
    assert reward.__name__ == "frequency_aware_signed"


def test_validity_reward_is_per_sample():
    assert validity_reward(["a", "x", "b"], valid=[["a"], ["a"], ["b", "c"]]) == [1.0, -1.0, 1.0]


def test_build_reward_names_unknown_rewards():
    assert build_reward("validity") is validity_reward
    assert isinstance(build_reward("frequency_aware", form="abs"), FrequencyAwareReward)
    with pytest.raises(ValueError, match="unknown reward 'diversity'"):
        build_reward("diversity")


# The reward zoo ---------------------------------------------------------------------------------


def test_partition_reward_is_quality_times_share_outside_own_class():
    # G = 4: "a" twice (2 of 3 others differ), "b" once (all 3 differ), an invalid one (quality 0)
    got = partition_reward(["a", "a", "b", "x"], [1.0, 1.0, 1.0, 0.0])
    assert got == pytest.approx([2 / 3, 2 / 3, 1.0, 0.0])
    assert partition_reward(["a"] * 3, [1.0] * 3) == [0.0, 0.0, 0.0]
    assert partition_reward(["a"], [1.0]) == [0.0]


def test_partition_group_reward_classes_by_parsed_answer():
    reward = build_reward("partition")
    assert reward("p", ["Mars", "mars .", "venus", "pluto"], valid=["mars", "venus"]) == pytest.approx(
        [2 / 3, 2 / 3, 1.0, 0.0]
    )


def test_open_set_reward_rewards_novelty_within_the_category():
    assert open_set_reward(["apple", "apple", "pear", None]) == pytest.approx([1 / 3, 1 / 3, 2 / 3, -1.0])
    reward = OpenSetReward(categories={"fruit": ["apple", "pear", "plum"]})
    assert reward("name a fruit", ["apple", "plum", "carrot"], topic="fruit") == pytest.approx([0.5, 0.5, -1.0])


def test_open_set_reward_reads_categories_from_json_and_names_problems(tmp_path):
    path = tmp_path / "categories.json"
    path.write_text(json.dumps({"metal": ["iron", "gold"]}))
    reward = build_reward("open_set", categories=str(path))
    assert reward("name a metal", ["gold", "gold"], topic="metal") == pytest.approx([0.0, 0.0])
    with pytest.raises(KeyError, match="unknown category 'fruit'"):
        reward("name a fruit", ["gold"], topic="fruit")
    with pytest.raises(KeyError, match="no column 'topic'"):
        reward("name a metal", ["gold"])
    with pytest.raises(FileNotFoundError, match="categories file"):
        build_reward("open_set", categories=str(tmp_path / "missing.json"))


def test_open_set_reward_defaults_to_the_world_topics():
    reward = OpenSetReward()
    assert reward("name a planet", ["mars", "violin"], topic="planet") == pytest.approx([0.0, -1.0])


def test_mean_cosine_distance_by_hand():
    e = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    # rows 0 and 1: distances 0 and 1 -> 0.5; row 2: distances 1 and 1 -> 1
    assert mean_cosine_distance(e) == pytest.approx([0.5, 0.5, 1.0])
    assert mean_cosine_distance(e[:1]) == [0.0]


def test_embedding_diversity_reward_uses_the_offline_minilm():
    reward = build_reward("embedding_diversity")
    same = reward("write a story", ["the knight slept ."] * 3)
    assert same == pytest.approx([0.0] * 3, abs=1e-5)
    got = reward("name a planet", ["mars", "mars", "venus", "violin"])
    # the odd one out is the most distant from the rest; a near neighbour (venus) less so
    assert got[3] > got[2] > got[0] > 0
    gated = build_reward("embedding_diversity", quality="validity")
    scores = gated("name a planet", ["mars", "venus", "violin"], valid=["mars", "venus"])
    assert scores[2] == 0.0 and min(scores[:2]) > 0


def test_user_rewards_by_import_path():
    assert isinstance(build_reward("gapo.rewards.partition:PartitionReward"), PartitionReward)
    assert build_reward("gapo.rewards.per_sample:validity_reward") is validity_reward
    with pytest.raises(ValueError, match="cannot be imported"):
        build_reward("gapo.rewards:NoSuchReward")
    with pytest.raises(ValueError, match="bad options"):
        build_reward("partition", weight=2)
