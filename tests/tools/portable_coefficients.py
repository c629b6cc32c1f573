#!/usr/bin/env python3
"""Derives the constants, tables and polynomial coefficients of cpp/math/portable.cpp.

Run by hand, not by CI (needs python3-mpmath; takes about a minute):
    python3 tests/tools/portable_coefficients.py > cpp/math/portable_tables.h
Everything is computed in 200-bit arithmetic and rounded once to double (to nearest), so a rerun
gives the same file.
- split constants (ln 2, ln 2 / 128, pi / 2) for Cody-Waite reduction: a head with few bits, so
  that k * head is exact, then tails;
- 2^(j/128) as head + tail, for exp;
- for log: c_j ~ 1 / (1 + j/256) with 26 significant bits (so m * c_j splits into exact products)
  and -ln(c_j) as head + tail;
- minimax polynomials for sin and cos on [0, pi/4], by the Remez exchange algorithm.
"""
import mpmath as mp

mp.mp.prec = 200


def dbl(x):
    """x rounded to the nearest double (mpmath rounds to nearest-even at 53 bits)."""
    return float(mp.mpf(x))


def head(x, bits):
    """x rounded to `bits` significant bits."""
    x = mp.mpf(x)
    if x == 0:
        return 0.0
    e = int(mp.floor(mp.log(abs(x), 2)))
    scale = mp.mpf(2) ** (bits - 1 - e)
    return float(mp.nint(x * scale) / scale)


def split(x, head_bits, parts):
    """x as parts: each a double, the first with head_bits bits, the middle ones too, the last full."""
    out = []
    rest = mp.mpf(x)
    for i in range(parts):
        h = head(rest, head_bits) if i < parts - 1 else dbl(rest)
        out.append(h)
        rest -= mp.mpf(h)
    return out


def hexs(v):
    return float(v).hex()


def constants():
    ln2 = mp.log(2)
    print("// ln 2 = kLn2Hi + kLn2Lo; kLn2Hi has 42 bits, so k * kLn2Hi is exact for |k| < 2^11.")
    hi, lo = split(ln2, 42, 2)
    print(f"constexpr double kLn2Hi = {hexs(hi)};\nconstexpr double kLn2Lo = {hexs(lo)};")
    print("// ln 2 / 128 = kLn2By128Hi + kLn2By128Lo; the head has 35 bits: k * head exact for |k| < 2^18.")
    hi, lo = split(ln2 / 128, 35, 2)
    print(f"constexpr double kLn2By128Hi = {hexs(hi)};\nconstexpr double kLn2By128Lo = {hexs(lo)};")
    print(f"constexpr double kInvLn2By128 = {hexs(dbl(128 / ln2))};  // 128 / ln 2")
    print("// pi / 2 in four parts; the first three have 28 bits: n * part exact for |n| < 2^25.")
    parts = split(mp.pi / 2, 28, 4)
    for i, p in enumerate(parts):
        print(f"constexpr double kPiBy2_{i + 1} = {hexs(p)};")
    rest = mp.pi / 2 - sum(mp.mpf(p) for p in parts)
    print(f"// (pi/2 minus the four parts: {mp.nstr(rest, 3)})")
    print(f"constexpr double kTwoByPi = {hexs(dbl(2 / mp.pi))};")
    hi = dbl(mp.pi / 2)
    print(f"constexpr double kPiBy2Hi = {hexs(hi)};  // pi / 2 = kPiBy2Hi + kPiBy2Lo")
    print(f"constexpr double kPiBy2Lo = {hexs(dbl(mp.pi / 2 - mp.mpf(hi)))};")
    print(f"constexpr double kPiBy4 = {hexs(dbl(mp.pi / 4))};")


def two_by_pi_bits():
    words = 38
    with mp.workprec(32 * words + 64):
        v = int(mp.floor(2 / mp.pi * mp.mpf(2) ** (32 * words)))
    print(f"// The first {32 * words} bits of the fraction 2/pi, 32 to a word, most significant first.")
    print(f"constexpr std::uint32_t kTwoByPiBits[{words}] = {{")
    ws = [(v >> (32 * (words - 1 - k))) & 0xffffffff for k in range(words)]
    for i in range(0, words, 6):
        print("    " + ", ".join(f"0x{w:08x}" for w in ws[i:i + 6]) + ",")
    print("};")


def exp_table():
    print("// 2^(j/128) = head + tail, j = 0..127.")
    print("constexpr double kExp2Table[128][2] = {")
    for j in range(128):
        v = mp.mpf(2) ** (mp.mpf(j) / 128)
        h = dbl(v)
        t = dbl(v - mp.mpf(h))
        print(f"    {{{hexs(h)}, {hexs(t)}}},")
    print("};")


LOG_LO, LOG_HI = -75, 108



def log_table():
    print(f"// j = {LOG_LO}..{LOG_HI} (row j - ({LOG_LO})): c_j ~ 1/(1 + j/256) with 26 bits, then -ln(c_j) = head + tail.")
    print(f"constexpr int kLogFirst = {LOG_LO};")
    print(f"constexpr double kLogTable[{LOG_HI - LOG_LO + 1}][3] = {{")
    for j in range(LOG_LO, LOG_HI + 1):
        c = head(1 / (1 + mp.mpf(j) / 256), 26)
        L = -mp.log(mp.mpf(c))
        h = dbl(L)
        t = dbl(L - mp.mpf(h))
        print(f"    {{{hexs(c)}, {hexs(h)}, {hexs(t)}}},")
    print("};")


def remez(f, w, degree, a, b, first=0, iterations=30):
    """Coefficients c_first..c_degree of p(z) = sum c_i z^i minimising max |w(z) (f(z) - p(z))| on
    [a, b] (f already has the fixed terms below `first` taken out)."""
    n = degree - first + 2
    ref = [a + (b - a) * (1 - mp.cos(mp.pi * k / (n - 1))) / 2 for k in range(n)]
    coeffs = None
    for _ in range(iterations):
        # Solve p(z_k) + (-1)^k E / w(z_k) = f(z_k).
        A = mp.matrix(n, n)
        rhs = mp.matrix(n, 1)
        for k, z in enumerate(ref):
            for i in range(first, degree + 1):
                A[k, i - first] = z ** i
            A[k, n - 1] = (-1) ** k / w(z)
            rhs[k] = f(z)
        sol = mp.lu_solve(A, rhs)
        coeffs = [sol[i] for i in range(n - 1)]
        E = sol[n - 1]

        def err(z):
            return w(z) * (f(z) - sum(c * z ** (i + first) for i, c in enumerate(coeffs)))

        # New reference: the extrema of err between sign changes, found on a fine grid and refined.
        grid = [a + (b - a) * mp.mpf(i) / 4000 for i in range(4001)]
        vals = [err(z) for z in grid]
        segments = []
        start = 0
        for i in range(1, len(grid)):
            if mp.sign(vals[i]) != mp.sign(vals[start]) and vals[i] != 0:
                segments.append((start, i - 1))
                start = i
        segments.append((start, len(grid) - 1))
        extrema = []
        for s, e in segments:
            i = max(range(s, e + 1), key=lambda i: abs(vals[i]))
            lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
            for _ in range(60):  # golden-section refinement of |err|
                m1 = lo + (hi - lo) * 0.382
                m2 = lo + (hi - lo) * 0.618
                if abs(err(m1)) < abs(err(m2)):
                    lo = m1
                else:
                    hi = m2
            extrema.append((lo + hi) / 2)
        while len(extrema) > n:  # drop the smallest at an end
            if abs(err(extrema[0])) < abs(err(extrema[-1])):
                extrema.pop(0)
            else:
                extrema.pop()
        if len(extrema) < n:
            break
        ref = extrema
        worst = max(abs(err(z)) for z in extrema)
        if abs(worst - abs(E)) < abs(E) * mp.mpf("1e-12"):
            break
    return coeffs, abs(E)


def remez_rounded(f, w, degree, a, b):
    """Remez, then each coefficient in turn rounded to double and the later ones fitted again
    with it fixed, so the rounding of the leading terms is compensated by the rest."""
    fixed = []
    E = None
    for first in range(degree + 1):
        def g(z, fixed=tuple(fixed)):
            return f(z) - sum(mp.mpf(c) * z ** i for i, c in enumerate(fixed))
        coeffs, e = remez(g, w, degree, a, b, first)
        if E is None:
            E = e
        fixed.append(dbl(coeffs[0]))
    return fixed, E


def poly_error(f, w, coeffs, a, b):
    """Max weighted error of the double-rounded coefficients, on a fine grid."""
    cs = [mp.mpf(c) for c in coeffs]
    return max(abs(w(z) * (f(z) - sum(c * z ** i for i, c in enumerate(cs))))
               for z in (a + (b - a) * mp.mpf(i) / 2000 for i in range(2001)))


def trig():
    b = mp.mpf("0.786") ** 2  # (pi/4 plus a margin for the rounded reduction)^2

    # sin r = r + r^3 S(z), z = r^2; error relative to sin r: r^3 dS / sin r = z r / sin r * dS.
    def fs(z):
        if z == 0:
            return mp.mpf(-1) / 6
        r = mp.sqrt(z)
        return (mp.sin(r) - r) / (z * r)

    def ws(z):
        if z == 0:
            return mp.mpf(0)
        r = mp.sqrt(z)
        return z * r / mp.sin(r)

    cs, E = remez_rounded(fs, ws, 5, b * mp.mpf("1e-6"), b)
    print(f"// sin r = r + r^3 S(r^2) on |r| <= 0.786: minimax for the relative error,"
          f" {mp.nstr(mp.log(E, 2), 4)} bits (after rounding: {mp.nstr(mp.log(poly_error(fs, ws, cs, 0, b), 2), 4)})")
    print("constexpr double kSin[6] = {" + ", ".join(hexs(c) for c in cs) + "};")

    # cos r = 1 - z/2 + z^2 C(z); error relative to cos r: z^2 dC / cos r.
    def fc(z):
        if z == 0:
            return mp.mpf(1) / 24
        r = mp.sqrt(z)
        return (mp.cos(r) - 1 + z / 2) / (z * z)

    def wc(z):
        return z * z / mp.cos(mp.sqrt(z))

    cs, E = remez_rounded(fc, wc, 5, b * mp.mpf("1e-6"), b)
    print(f"// cos r = 1 - r^2/2 + r^4 C(r^2) on |r| <= 0.786: minimax for the relative error,"
          f" {mp.nstr(mp.log(E, 2), 4)} bits (after rounding: {mp.nstr(mp.log(poly_error(fc, wc, cs, 0, b), 2), 4)})")
    print("constexpr double kCos[6] = {" + ", ".join(hexs(c) for c in cs) + "};")


if __name__ == "__main__":
    print("// Constants, tables and polynomial coefficients of portable.cpp. GENERATED by")
    print("// tests/tools/portable_coefficients.py (python3 + mpmath, 200-bit arithmetic, each value rounded")
    print("// once to the nearest double): rerun it rather than editing by hand.")
    print("#pragma once")
    print()
    print("#include <cstdint>")
    print()
    print("namespace optlab::pm::tables {")
    print()
    constants()
    trig()
    exp_table()
    log_table()
    two_by_pi_bits()
    print()
    print("}  // namespace optlab::pm::tables")
