"""The expected calibration error of IPC suggestion probabilities (services.concept_search)."""

from __future__ import annotations

import numpy as np
import pytest

from ipoffice.services.concept_search import expected_calibration_error


def test_a_perfectly_calibrated_forecast_has_no_error() -> None:
    probability = np.array([0.25] * 4 + [0.75] * 4)
    truth = np.array([1, 0, 0, 0, 1, 1, 1, 0], dtype=float)
    assert expected_calibration_error(probability, truth) == pytest.approx(0.0)


def test_an_overconfident_forecast_has_its_gap_as_error() -> None:
    probability = np.array([0.95] * 10)
    truth = np.array([1] * 5 + [0] * 5, dtype=float)
    assert expected_calibration_error(probability, truth) == pytest.approx(0.45)


def test_bins_are_weighted_by_their_size_and_probability_one_is_in_the_last_bin() -> None:
    probability = np.array([1.0, 1.0, 1.0, 0.05])
    truth = np.array([1, 1, 1, 1], dtype=float)
    assert expected_calibration_error(probability, truth) == pytest.approx(0.95 / 4)
