"""Derive the polynomial of ``kaoping.methods._log``: a minimax fit found by the Remez exchange.

``_log`` reduces ln y to ln m with m in [c, 2c), c = sqrt(1/2), and writes

    ln m = 2 artanh s = 2s + s Q(z),   s = (m - 1)/(m + 1),  z = s**2 in [0, Z],
    Q(z) = 2 sum_{k>=1} z**k / (2k + 1),  Z = (3 - 2 sqrt 2)**2.

An error d in Q changes ln m by s d, and |ln m| >= 2|s|, so the relative error of ln m is at
most |d|/2: what matters is the largest *absolute* error of Q over [0, Z].  Truncating the
series needs 10 terms for that error to stay below 2**-56; the polynomial z P(z) with P of
degree 6 that minimises max |Q(z) - z P(z)| (7 coefficients) reaches about 2**-60.  It is the
unique best fit of that form, characterised by an error that takes its extreme value with
alternating signs at 8 points (Chebyshev's equioscillation theorem), and the Remez exchange
below finds it: solve for the coefficients and the levelled error E on 8 reference points,
move the points to the extrema of the new error curve, repeat until the extrema are level.

Everything is computed with :mod:`decimal` at 60 digits (no dependency), then rounded to
float64.  Run ``python scripts/log_minimax.py`` to print the coefficients and the bound;
``tests/methods/test_log.py`` re-runs :func:`remez` and checks that ``_log``'s constants are
these and that the bound holds.

Reference: Remez, E. Ya. (1934), Sur la détermination des polynômes d'approximation de degré
donnée, *Comm. Soc. Math. Kharkov* 10, 41-63; for the algorithm as used here, Powell, M. J. D.
(1981), *Approximation Theory and Methods*, Cambridge University Press, chapter 8.
"""

from __future__ import annotations

from decimal import Decimal, getcontext

DEGREE = 6  # P has DEGREE + 1 coefficients
GRID = 6_000  # points of the search for the extrema of the error curve


def _q(z: Decimal) -> Decimal:
    """Q(z) = 2 sum z**k/(2k+1), summed until the terms vanish at the working precision."""
    total = Decimal(0)
    term = z
    k = 1
    eps = Decimal(10) ** -(getcontext().prec + 2)
    while term > eps:
        total += 2 * term / (2 * k + 1)
        term *= z
        k += 1
    return total


def _solve(a: list[list[Decimal]], b: list[Decimal]) -> list[Decimal]:
    """Gaussian elimination with partial pivoting (the systems here are 8 x 8)."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[piv] = m[piv], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [Decimal(0)] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def _error(coef: list[Decimal], z: Decimal) -> Decimal:
    p = Decimal(0)
    for c in reversed(coef):
        p = p * z + c
    return _q(z) - z * p


def remez(degree: int = DEGREE, iterations: int = 30) -> tuple[list[Decimal], Decimal]:
    """Coefficients c_0..c_degree of P (Q(z) ~ z P(z)) and the levelled error |E|."""
    getcontext().prec = 60
    two = Decimal(2)
    zmax = (3 - two * two.sqrt()) ** 2
    npts = degree + 2
    pi = Decimal("3.14159265358979323846264338327950288419716939937510582097494")

    def cos(x: Decimal) -> Decimal:  # Taylor series; |x| <= pi here
        total, term, k = Decimal(1), Decimal(1), 0
        while abs(term) > Decimal(10) ** -62:
            k += 2
            term *= -x * x / (k * (k - 1))
            total += term
        return total

    # start on the Chebyshev extrema of [0, zmax], leaving out z = 0 (where the error is 0)
    ref = [zmax * (1 - cos(pi * i / npts)) / 2 for i in range(1, npts + 1)]
    grid = [zmax * i / GRID for i in range(1, GRID + 1)]
    coef: list[Decimal] = []
    level = Decimal(0)
    for _ in range(iterations):
        rows = [
            [z ** (k + 1) for k in range(degree + 1)] + [Decimal((-1) ** i)]
            for i, z in enumerate(ref)
        ]
        sol = _solve(rows, [_q(z) for z in ref])
        coef, level = sol[:-1], abs(sol[-1])
        err = [_error(coef, z) for z in grid]
        # one extremum per run of equal sign (the endpoint zmax included)
        ext: list[int] = []
        for i, e in enumerate(err):
            if ext and (e > 0) == (err[ext[-1]] > 0):
                if abs(e) > abs(err[ext[-1]]):
                    ext[-1] = i
            else:
                ext.append(i)
        while len(ext) > npts:  # drop the smaller end until npts alternating extrema remain
            ext.pop(0 if abs(err[ext[0]]) < abs(err[ext[-1]]) else -1)
        worst = max(abs(err[i]) for i in ext)
        ref = [grid[i] for i in ext]
        if len(ext) == npts and worst - level < level * Decimal("1e-9"):
            break
    return coef, level


def main() -> None:
    coef, level = remez()
    for k, c in enumerate(coef, start=1):
        print(f"_P{k} = float.fromhex({float(c).hex()!r})  # {c:.20e}")
    print(f"max |Q - z P| = {level:.3e} (2**{float(level.ln() / Decimal(2).ln()):.2f})")


if __name__ == "__main__":
    main()
