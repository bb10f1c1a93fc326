"""Logistic regression fitted exactly as scikit-learn's lbfgs does it, with less overhead.

With unscaled features and ``max_iter=100000`` the authors' logistic regressions need up to
tens of thousands of L-BFGS-B iterations, and in scikit-learn each iteration costs ~90 µs of
mostly Python overhead (array-API dispatch in ``LinearModelLoss.loss_gradient`` and scipy's
``ScalarFunction``/``MemoizeJac`` wrappers) around a few µs of arithmetic.

``fit_logistic`` performs the *same* computation: the same loss and gradient expressions in the
same order (same BLAS calls, same Cython ``HalfBinomialLoss``), the same L-BFGS-B routine
(``scipy.optimize._lbfgsb.setulb``) with the same options (``maxcor=10``, ``maxls=50``,
``gtol=tol``, ``ftol=64 eps``, scipy's default ``maxfun=15000``, which scikit-learn does not
override), and the same memoisation rule (a point equal to the last evaluated one is not
re-evaluated and not counted). The fitted coefficients are therefore bitwise identical to
``LogisticRegression(C=C, max_iter=max_iter).fit(X, y)``; the result *is* a
``LogisticRegression`` whose fitted attributes are set, so ``predict`` and
``decision_function`` are scikit-learn's own.

Exactness is only claimed for the library versions in ``VERIFIED``: the tests compare
coefficients bit for bit with scikit-learn on real datasets; for other versions
``fit_logistic`` falls back to ``LogisticRegression.fit`` (slower, same result by definition).
"""

from __future__ import annotations

import numpy as np
import scipy
import sklearn
from sklearn._loss.loss import HalfBinomialLoss
from sklearn.linear_model import LogisticRegression

__all__ = ["fit_logistic", "lean_path_available", "VERIFIED"]

VERIFIED = {"sklearn": ("1.9.",), "scipy": ("1.17.",)}
"""Version prefixes for which the lean path was verified bitwise against scikit-learn."""

try:  # private, but stable since scipy 1.15 (the C translation of L-BFGS-B)
    from scipy.optimize import _lbfgsb
except ImportError:  # pragma: no cover
    _lbfgsb = None


def lean_path_available() -> bool:
    """True when the library versions are ones the lean path was verified for."""
    return (
        _lbfgsb is not None
        and sklearn.__version__.startswith(VERIFIED["sklearn"])
        and scipy.__version__.startswith(VERIFIED["scipy"])
    )


_sum = np.add.reduce  # what np.sum calls for an ndarray, without the Python wrapper


class _BinomialObjective:
    """``LinearModelLoss(HalfBinomialLoss(), fit_intercept=True).loss_gradient``, unwrapped."""

    def __init__(self, X, target, l2_reg_strength):
        self.X = X
        self.XT = X.T
        self.target = target
        self.n_samples, self.n_features = X.shape
        self.l2 = l2_reg_strength
        self.closs = HalfBinomialLoss().closs

    def __call__(self, coef):
        n = self.n_features
        weights, intercept = coef[:-1], coef[-1]
        raw_prediction = self.X @ weights + np.asarray(intercept, dtype=np.float64)
        loss_out = np.empty_like(self.target)
        grad_pointwise = np.empty_like(raw_prediction)
        self.closs.loss_gradient(y_true=self.target, raw_prediction=raw_prediction, sample_weight=None,
                                 loss_out=loss_out, gradient_out=grad_pointwise, n_threads=1)
        loss = float(_sum(loss_out) / self.n_samples)
        loss += float(0.5 * self.l2 * (weights @ weights))
        grad_pointwise /= self.n_samples
        grad = np.empty_like(coef, dtype=weights.dtype)
        grad[:n] = self.XT @ grad_pointwise + self.l2 * weights
        grad[-1] = _sum(grad_pointwise)
        return loss, grad


def _lbfgsb_minimize(func, x0, *, maxiter, gtol, ftol, maxls=50, maxcor=10, maxfun=15000):
    """scipy's ``_minimize_lbfgsb`` loop without bounds, callback and wrappers."""
    m = maxcor
    factr = ftol / np.finfo(float).eps
    n = x0.shape[0]
    nbd = np.zeros(n, np.int32)
    low_bnd = np.zeros(n, np.float64)
    upper_bnd = np.zeros(n, np.float64)
    x = np.array(x0, dtype=np.float64)
    wa = np.zeros(2 * m * n + 5 * n + 11 * m * m + 8 * m, np.float64)
    iwa = np.zeros(3 * n, dtype=np.int32)
    task = np.zeros(2, dtype=np.int32)
    ln_task = np.zeros(2, dtype=np.int32)
    lsave = np.zeros(4, dtype=np.int32)
    isave = np.zeros(44, dtype=np.int32)
    dsave = np.zeros(29, dtype=np.float64)

    # ScalarFunction evaluates once at x0 on construction and memoises the last point.
    last_x = x.copy()
    last_f, last_g = func(last_x.copy())
    nfev = 1
    f = np.array(0.0, dtype=np.float64)
    g = np.zeros((n,), dtype=np.float64)
    n_iterations = 0
    while True:
        g = g.astype(np.float64)
        _lbfgsb.setulb(m, x, low_bnd, upper_bnd, nbd, f, g, factr, gtol, wa, iwa, task, lsave,
                       isave, dsave, maxls, ln_task)
        if task[0] == 3:
            if not (x == last_x).all():  # np.array_equal for same-shape float arrays
                last_x = x.copy()
                last_f, last_g = func(last_x.copy())
                nfev += 1
            f, g = last_f, last_g
        elif task[0] == 1:
            n_iterations += 1
            if n_iterations >= maxiter:
                task[0], task[1] = 5, 504
            elif nfev > maxfun:
                task[0], task[1] = 5, 502
        else:
            break
    converged = task[0] == 4
    return x, n_iterations, converged


def fit_logistic(X, y, *, C: float, max_iter: int = 100000, tol: float = 1e-4,
                 random_state=None, lean: bool | None = None) -> LogisticRegression:
    """A fitted ``LogisticRegression(C=C, max_iter=max_iter, tol=tol)`` (lbfgs, l2, binary).

    ``X`` must be a float64 array, ``y`` binary. ``converged_`` is set on the result
    (scikit-learn would warn with ``ConvergenceWarning`` where it is False).
    """
    model = LogisticRegression(C=C, max_iter=max_iter, tol=tol, random_state=random_state)
    if lean is None:
        lean = lean_path_available()
    if not lean:
        import warnings

        from sklearn.exceptions import ConvergenceWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            model.fit(X, y)
        model.converged_ = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        return model
    X = np.ascontiguousarray(X, dtype=np.float64)
    y = np.asarray(y)
    classes = np.unique(y)
    if classes.shape[0] != 2:
        raise ValueError(f"fit_logistic needs two classes, got {classes.tolist()}")
    target = np.ones(y.shape, dtype=np.float64)
    target[~(y == classes[1])] = 0.0
    n_samples, n_features = X.shape
    objective = _BinomialObjective(X, target, 1.0 / (C * n_samples))
    w0 = np.zeros(n_features + 1, dtype=np.float64)
    w, n_iter, converged = _lbfgsb_minimize(objective, w0, maxiter=max_iter, gtol=tol,
                                            ftol=64 * np.finfo(float).eps)
    w = w.copy()
    model.classes_ = classes
    model.n_features_in_ = n_features
    model.n_iter_ = np.asarray([min(n_iter, max_iter)], dtype=np.int32)
    model.intercept_ = w[-1:]
    model.coef_ = w[:-1][None, :]
    model.converged_ = bool(converged)
    return model
