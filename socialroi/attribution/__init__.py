"""Attribution maths: pure functions over small aggregated inputs (numpy only).

* :mod:`~socialroi.attribution.paths`: fractribution's path transforms.
* :mod:`~socialroi.attribution.markov`: absorbing Markov chain, removal effects.
* :mod:`~socialroi.attribution.shapley`: exact Shapley values over channel sets.
* :mod:`~socialroi.attribution.fractribution`: Google fractribution per path.
* :mod:`~socialroi.attribution.heuristics`: rule-based per-touch credits.

Called from dbt Python models or a step between dbt runs, with path or coalition
counts -- never row by row over orders.
"""

from socialroi.attribution.fractribution import channel_totals, fractribution
from socialroi.attribution.heuristics import (
    first_touch,
    last_non_direct,
    last_touch,
    linear,
    position_based,
    time_decay,
)
from socialroi.attribution.markov import (
    MarkovResult,
    markov_model,
    per_path_credit,
    removal_effects,
    transition_probabilities,
)
from socialroi.attribution.paths import (
    PATH_SEPARATOR,
    TRANSFORMS,
    apply_transforms,
    join_path,
    split_path,
    strip_frequency_count,
    transform_path,
    transform_path_summary,
)
from socialroi.attribution.shapley import (
    MAX_CHANNELS,
    coalition_rates,
    per_path_shapley,
    shapley_values,
)

__all__ = [
    "MAX_CHANNELS",
    "PATH_SEPARATOR",
    "TRANSFORMS",
    "MarkovResult",
    "apply_transforms",
    "channel_totals",
    "coalition_rates",
    "first_touch",
    "fractribution",
    "join_path",
    "last_non_direct",
    "last_touch",
    "linear",
    "markov_model",
    "per_path_credit",
    "per_path_shapley",
    "position_based",
    "removal_effects",
    "shapley_values",
    "split_path",
    "strip_frequency_count",
    "time_decay",
    "transform_path",
    "transform_path_summary",
    "transition_probabilities",
]
