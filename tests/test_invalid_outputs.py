"""Unparsable or invalid model outputs count as NV and never crash anything."""

import pytest

from gapo.diversity import list_metrics, open_metrics
from gapo.parsing import extract_choice
from gapo.rewards import FrequencyAwareReward, OpenSetReward, PartitionReward, frequency_aware_reward
from gapo.trainer import group_diagnostics

GARBAGE = ["", "   ", "<unk> <unk>", "mars venus", "???", "\n", [{"role": "assistant", "content": ""}]]


@pytest.mark.parametrize("completion", GARBAGE)
def test_garbage_parses_to_not_valid(completion):
    assert extract_choice(completion, ["mars", "venus"]) is None


def test_group_rewards_take_empty_and_all_invalid_groups():
    assert frequency_aware_reward([], ["a"]) == []
    assert FrequencyAwareReward()("p", GARBAGE, valid=["mars", "venus"]) == [-1.0] * len(GARBAGE)
    assert PartitionReward()("p", GARBAGE, valid=["mars", "venus"]) == [0.0] * len(GARBAGE)
    assert OpenSetReward()("p", GARBAGE, topic="planet") == [-1.0] * len(GARBAGE)
    assert group_diagnostics([None] * 4, 4) == {"groups/valid_fraction": 0.0, "groups/distinct_answers": 0.0}


def test_metrics_of_all_invalid_samples_have_no_divergence_and_full_nv():
    prompts = [{"id": "planet-0", "topic": "planet", "valid": ["mars", "venus"]}]
    samples = [{"id": "planet-0", "temperature": 0.7, "sample": i, "answer": None} for i in range(5)]
    got = list_metrics(samples, prompts)["0.7"]
    assert got["jsd"] is None and got["nv"] == 1.0 and got["no_valid_prompts"] == 1 and got["valid_answers"] == 0
    opened = open_metrics([{**s, "id": "planet"} for s in samples])["0.7"]
    assert opened["unique"] == 0 and opened["nv"] == 1.0


def test_a_list_never_answered_in_format_is_left_out_of_the_mean_jsd():
    # a real model answers some lists only off format; taking those as JSD 1.0 would outweigh a
    # fully collapsed list, so they are counted beside NV instead
    prompts = [{"id": f"planet-{i}", "topic": "planet", "valid": ["mars", "venus"]} for i in range(2)]
    collapsed = [{"id": "planet-0", "temperature": 0.7, "sample": i, "answer": "mars"} for i in range(5)]
    off_format = [{"id": "planet-1", "temperature": 0.7, "sample": i, "answer": None} for i in range(5)]
    got = list_metrics(collapsed + off_format, prompts)["0.7"]
    alone = list_metrics(collapsed, prompts[:1])["0.7"]
    assert got["jsd"] == alone["jsd"] == got["prompts"]["planet-0"]["jsd"]
    assert got["prompts"]["planet-1"]["jsd"] is None
    assert (got["nv"], got["no_valid_prompts"], got["valid_answers"]) == (0.5, 1, 5)
