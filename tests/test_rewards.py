import pytest

from gapo.rewards import FrequencyAwareReward, build_reward, frequency_aware_reward, validity_reward

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
