"""The paper's LLM oversampler: description -> variable specs -> state-machine program -> rows."""

from __future__ import annotations

import numbers
import os
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler
from pydantic import ValidationError
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ..llm import LLMClient
from .base import LLMBasedOverSampler
from .program import execute_program, flatten, program_model, repair_specs, specs_model
from .prompts import description_messages, generation_messages, variables_messages
from .validation import Rejections, RowValidator

__all__ = ["LLMGenerationError", "LLMOversampler", "Round"]


@dataclass(frozen=True)
class Round:
    """One round of :meth:`LLMOversampler.iter_rounds`: accepted rows and running totals."""

    index: int
    rows: np.ndarray
    rejections: dict
    usage: dict


class LLMGenerationError(RuntimeError):
    """The LLM did not deliver enough acceptable rows within ``max_rounds``."""


class LLMOversampler(LLMBasedOverSampler):
    """Oversample with rows that an LLM writes as a program for a state machine (paper, A.2).

    For every class to oversample: (1) the LLM describes a sample of the class's rows in prose;
    (2) it extracts a spec per column (units, distribution, scale, range), repaired against the
    class's observed rows (against all rows of ``X`` when the class shows a single distinct row,
    as in the few-shot scenario, or none); (3) in rounds, it writes a program of ``set_to``/``change_by``/``output``
    operations; each ``output`` is a row, jittered per column by its spec's distribution. Rows
    are validated (finite, near the observed ranges, new, not copies of real rows); rejections
    are counted by reason in ``rejections_``. Every LLM call goes through the call cache, so a
    fitted run replays offline, bit-identically, with ``cache_mode="replay"``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Drives example sampling, call seeds, jitter and the surplus drop.
    sample_size : int, default=30
        Real rows shown for the description and specs (fewer if the class has fewer).
    examples_per_round : int, default=20
        Real rows shown in each program-writing round.
    rows_per_round : int, default=40
        Output operations asked for per round.
    changes_per_row : int, default=1
        Most ``set_to``/``change_by`` operations before each output (each output starts from
        the next example row, so one change plus the jitter already makes a new row).
    describe_each_round : bool, default=False
        Redo the description and specs every round, as the original code did per call. False
        makes them once per class and fit (the efficient default).
    schema_in_prompt : bool, default=False
        Paste the JSON schemas into the prompts, as the paper's prompts do. The grammar
        enforces them either way; False states the format in one line and saves ~400 prompt
        tokens per call.
    description_tokens : int, default=128
        Cap on the description's length (the paper asked for at least 500 words).
    temperature, top_p : float, default=0.8, 0.9
        Sampling parameters (the authors' values).
    model, base_url : str or None
        The LLM; None reads ``LSH_LLM_MODEL``/``LSH_LLM_BASE_URL``, else the embedded model.
    cache_mode : {"auto", "record", "replay"}, default="auto"
    cache_dir : path or None
        Call cache location; default ``data/llm_cache``.
    max_rounds : int, default=200
        Rounds per class before giving up with ``LLMGenerationError``.
    range_tolerance : float, default=0.0
        A value is rejected when it lies outside its column's observed range (over all rows
        of ``X``) widened on each side by this fraction of the range.
    zero_shot_class : int or None, default=None
        A class label that may be absent from ``y`` (zero-shot): the prompts then show rows of
        the other class and the column ranges, and ``sampling_strategy`` (float) is taken
        relative to the majority count.
    timeout, max_retries, retry_backoff : float, int, float, default=300, 3, 1
        Seconds per request (generous: a long answer from a CPU-bound local model is slow); retries after 429, 5xx, timeouts or refused connections, waiting
        ``retry_backoff * 2**attempt`` seconds; then ``LLMError``.

    Attributes
    ----------
    rejections_ : dict
        Rejected responses, operations and rows, by reason.
    usage_ : dict
        Calls (live and replayed), prompt and completion tokens, seconds, estimated USD.
    provenance_ : dict
        Model, endpoint kind, rounds, rows requested, outputs asked of the LLM (program
        calls times ``rows_per_round``), rows generated by programs, valid, and accepted (valid rows beyond the request are dropped at random), spec repairs, call keys.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "sample_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "examples_per_round": [Interval(numbers.Integral, 0, None, closed="left")],
        "rows_per_round": [Interval(numbers.Integral, 1, 200, closed="both")],
        "changes_per_row": [Interval(numbers.Integral, 1, None, closed="left")],
        "describe_each_round": ["boolean"],
        "schema_in_prompt": ["boolean"],
        "description_tokens": [Interval(numbers.Integral, 16, None, closed="left")],
        "temperature": [Interval(numbers.Real, 0, 2, closed="both")],
        "top_p": [Interval(numbers.Real, 0, 1, closed="right")],
        "model": [str, None],
        "base_url": [str, None],
        "cache_mode": [StrOptions({"auto", "record", "replay"})],
        "cache_dir": [str, os.PathLike, None],
        "max_rounds": [Interval(numbers.Integral, 1, None, closed="left")],
        "range_tolerance": [Interval(numbers.Real, 0, None, closed="left")],
        "timeout": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_retries": [Interval(numbers.Integral, 0, None, closed="left")],
        "retry_backoff": [Interval(numbers.Real, 0, None, closed="left")],
        "zero_shot_class": [numbers.Integral, str, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        sample_size=30,
        examples_per_round=20,
        rows_per_round=40,
        changes_per_row=1,
        describe_each_round=False,
        schema_in_prompt=False,
        description_tokens=128,
        temperature=0.8,
        top_p=0.9,
        model=None,
        base_url=None,
        cache_mode="auto",
        cache_dir=None,
        max_rounds=200,
        range_tolerance=0.0,
        zero_shot_class=None,
        timeout=300.0,
        max_retries=3,
        retry_backoff=1.0,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.sample_size = sample_size
        self.examples_per_round = examples_per_round
        self.rows_per_round = rows_per_round
        self.changes_per_row = changes_per_row
        self.describe_each_round = describe_each_round
        self.schema_in_prompt = schema_in_prompt
        self.description_tokens = description_tokens
        self.temperature = temperature
        self.top_p = top_p
        self.model = model
        self.base_url = base_url
        self.cache_mode = cache_mode
        self.cache_dir = cache_dir
        self.max_rounds = max_rounds
        self.range_tolerance = range_tolerance
        self.zero_shot_class = zero_shot_class
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff

    def _fit_resample(self, X, y):
        self._start()
        try:
            X_parts, y_parts = [X], [y]
            for class_label, n_samples in self.sampling_strategy_.items():
                if n_samples == 0:
                    continue
                rows = self._generate(X[y == class_label], X, n_samples, class_label)
                X_parts.append(rows.astype(X.dtype, copy=False))
                y_parts.append(np.full(n_samples, class_label, dtype=y.dtype))
        finally:
            self._finish()
        return np.vstack(X_parts), np.concatenate(y_parts)

    def _zero_shot_resample(self, X, y):
        from imblearn.utils._validation import ArraysTransformer

        self._validate_params()
        transformer = ArraysTransformer(X, y)
        X_array = np.asarray(X, dtype=float)
        y_array = np.asarray(y)
        if isinstance(X, pd.DataFrame):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X_array.shape[1]
        if isinstance(self.sampling_strategy, dict) and set(self.sampling_strategy) == {self.zero_shot_class}:
            n_samples = int(self.sampling_strategy[self.zero_shot_class])
        elif isinstance(self.sampling_strategy, numbers.Real):
            n_samples = int(np.bincount(pd.factorize(y_array)[0]).max() * self.sampling_strategy)
        else:
            raise ValueError(
                "zero-shot resampling needs a float sampling_strategy (ratio to the majority) "
                f"or {{{self.zero_shot_class!r}: n_rows}}"
            )
        self.sampling_strategy_ = {self.zero_shot_class: n_samples}
        self._start()
        try:
            rows = self._generate(X_array[:0], X_array, n_samples, self.zero_shot_class)
        finally:
            self._finish()
        y_new = np.full(n_samples, self.zero_shot_class, dtype=np.result_type(y_array.dtype, type(self.zero_shot_class)))
        return transformer.transform(np.vstack([X_array, rows]), np.concatenate([y_array.astype(y_new.dtype), y_new]))

    # -- generation -------------------------------------------------------------------------

    def _start(self):
        self._client = LLMClient(base_url=self.base_url, model=self.model, cache_dir=self.cache_dir,
                                 cache_mode=self.cache_mode, timeout=self.timeout,
                                 max_retries=self.max_retries, backoff_s=self.retry_backoff)
        self._random = check_random_state(self.random_state)
        self._rejections = Rejections()
        self._repairs: list[str] = []
        self._keys: list[str] = []
        self._rounds_done = 0
        self._asked = 0
        self._requested = 0
        self._accepted = 0
        self._generated = 0
        self._valid = 0

    def _finish(self):
        client = self._client
        client.close()
        self.rejections_ = self._rejections.as_dict()
        usage = asdict(client.usage)
        usage["price_usd"] = client.usage.price_usd(client.model)
        self.usage_ = usage
        self.provenance_ = {
            "model": client.model,
            "endpoint_kind": client.endpoint_kind,
            "rounds": self._rounds_done,
            "rows_requested": self._requested,
            "outputs_asked": self._asked,
            "rows_accepted": self._accepted,
            "rows_generated": self._generated,
            "rows_valid": self._valid,
            "spec_repairs": self._repairs,
            "call_keys": self._keys,
        }

    def _columns(self, n_features: int) -> list[str]:
        names = getattr(self, "feature_names_in_", None)
        if names is None:  # as pandas names unnamed columns, so arrays and frames get one prompt
            return [str(i) for i in range(n_features)]
        return [str(name) for name in names]

    def _seed(self) -> int:
        return int(self._random.randint(0, 2**31 - 1))

    def _call(self, messages, schema, schema_name, max_tokens):
        response = self._client.complete(
            messages, schema=schema, schema_name=schema_name, temperature=self.temperature,
            top_p=self.top_p, max_tokens=max_tokens, seed=self._seed(),
        )
        self._keys.append(response.key)
        return response

    def _sample(self, frame: pd.DataFrame, n: int) -> pd.DataFrame:
        if len(frame) <= n:
            return frame
        return frame.iloc[np.sort(self._random.choice(len(frame), n, replace=False))]

    def _describe(self, examples: pd.DataFrame, reference: pd.DataFrame, name: str):
        """Steps 1 and 2: a prose description and repaired variable specs."""
        shown = self._sample(examples, self.sample_size)
        others = self._sample(reference, self.sample_size) if not len(examples) else None
        description = self._call(
            description_messages(shown, name, others, f"At most {self.description_tokens // 2} words."),
            None, "description", self.description_tokens,
        ).content
        model = specs_model(list(examples.columns))
        schema = model.model_json_schema()
        shown_schema = schema if self.schema_in_prompt else None
        response = self._call(variables_messages(shown, name, others, shown_schema), schema, "variables",
                              64 * examples.shape[1] + 64)
        specs: list[dict] = []
        if self._usable(response, model):
            specs = [{**spec, "name": spec["name"]} for spec in response.parsed["variables"]]
        # One distinct example has no spread: its ranges would allow only copies of it.
        basis = examples if len(examples.drop_duplicates()) > 1 else reference
        repaired, repairs = repair_specs(specs, basis)
        self._repairs += repairs
        return description, repaired

    def _usable(self, response, model) -> bool:
        """Count and reject truncated, non-JSON or schema-violating answers."""
        if response.finish_reason == "length":
            self._rejections.add("truncated")
            return False
        if response.parsed is None:
            non_finite = (response.parse_error or "").startswith("non-finite")
            self._rejections.add("non_finite_json" if non_finite else "invalid_json")
            return False
        try:
            model.model_validate(response.parsed)
        except ValidationError:
            self._rejections.add("schema_violation")
            return False
        return True

    def iter_rounds(self, X, y, class_label):
        """Generate rows of ``class_label`` round by round, without a target count.

        Yields a :class:`Round` after every round (its accepted rows in generation order, maybe
        none) until ``max_rounds`` rounds are done or the caller stops iterating. This is what
        a resumable pool of seeds needs: the caller stores each round as it completes; with the
        same ``random_state`` and call cache, a rerun replays the finished rounds from the cache
        and continues live. ``usage_``, ``rejections_`` and ``provenance_`` are set when the
        iteration ends. ``class_label`` may be absent from ``y`` (zero-shot).
        """
        self._validate_params()
        if isinstance(X, pd.DataFrame):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        X_all, y_all = np.asarray(X, dtype=float), np.asarray(y)
        self.n_features_in_ = X_all.shape[1]
        self._start()
        try:
            yield from self._rounds(X_all[y_all == class_label], X_all, class_label)
        finally:
            self._finish()

    def _generate(self, X_class: np.ndarray, X_all: np.ndarray, n_samples: int, class_label) -> np.ndarray:
        n_samples = int(n_samples)
        self._requested += n_samples
        accepted, count = [], 0
        for round_ in self._rounds(X_class, X_all, class_label):
            accepted.append(round_.rows)
            count += len(round_.rows)
            if count >= n_samples:
                break
        else:
            raise LLMGenerationError(
                f"after {self.max_rounds} rounds the LLM gave {count} acceptable rows of class "
                f"{class_label!r}, {n_samples} were needed; rejections: {self._rejections.as_dict()}"
            )
        rows = np.vstack(accepted)
        if len(rows) > n_samples:
            self._rejections.add("surplus", len(rows) - n_samples)
            rows = rows[np.sort(self._random.choice(len(rows), n_samples, replace=False))]
        self._accepted += n_samples
        return rows

    def _rounds(self, X_class: np.ndarray, X_all: np.ndarray, class_label):
        columns = self._columns(X_all.shape[1])
        examples = pd.DataFrame(X_class, columns=columns, dtype=float)
        reference = pd.DataFrame(X_all, columns=columns, dtype=float)
        name = f"{class_label}"
        integral = np.all(np.equal(np.mod(X_all, 1), 0), axis=0)
        whole = dict(zip(columns, integral.tolist()))
        validator = RowValidator(X_all, self.range_tolerance)
        description = specs = model = schema = None
        for index in range(self.max_rounds):
            self._rounds_done += 1
            if specs is None or self.describe_each_round:
                description, specs = self._describe(examples, reference, name)
                model = program_model(columns, self.rows_per_round, self.changes_per_row, specs, whole)
                schema = model.model_json_schema()
            shown = self._sample(examples, self.examples_per_round)
            response = self._call(
                generation_messages(description, specs, shown, self.rows_per_round,
                                    schema if self.schema_in_prompt else None, name),
                schema, "program", self.rows_per_round * (24 + 24 * self.changes_per_row) + 64,
            )
            self._asked += self.rows_per_round
            kept = np.empty((0, len(columns)))
            if self._usable(response, model):
                kept = self._execute(response.parsed, columns, specs, shown, reference, integral, validator)
            yield Round(index, kept, self._rejections.as_dict(), asdict(self._client.usage))

    def _execute(self, program, columns, specs, shown, reference, integral, validator) -> np.ndarray:
        """Run one answer's program; count what is skipped or rejected; return the valid rows."""
        operations = flatten(program, columns)
        starts = (shown if len(shown) else reference.median().to_frame().T).to_dict("records")
        rng = np.random.default_rng(self._seed())
        rows = execute_program(operations, specs, starts, rng)
        self._rejections.add("skipped_operation", rows.attrs["skipped_operations"])
        self._rejections.add("out_of_range_operation", rows.attrs["out_of_range_operations"])
        if rows.empty:
            self._rejections.add("no_output")
            return np.empty((0, len(columns)))
        values = rows.to_numpy(dtype=float, copy=True)
        values[:, integral] = np.round(values[:, integral])
        kept = validator.filter(values, self._rejections)
        self._generated += len(values)
        self._valid += len(kept)
        return kept
