"""Independent mpmath reference for the exact radar rate (Theorem 2 without its approximations).

    nice -n 19 .venv/bin/python tests/reference/theorem2_mpmath.py BETA RHO N Mt DPS RES [PART PARTS]

Prints R in nats at the resolution RES (node counts per panel scale with it; two resolutions
give the reference's own accuracy), or with PART PARTS the share of the s nodes
k = PART (mod PARTS), so that processes can split one rate (the shares add up to R).
The route shares no formula and no node with coopisac._radar / coopisac._hole:

* Hamdi's lemma conditionally on (x_1, x_N), x = pi lam r^2, in the order
  R = int ds f_s(s) int d(ln W) (1 - L_X(W, t)) Phi(W, t),  t = x_1/x_N = e^-s,
  W = z rho x_N^-b (b = beta/2), f_s the density of s (t ~ Beta(1, N-1)):
  for fixed (s, W) the echo transform does not depend on x_N, which is averaged only in
  Phi(W, t) = E_x[exp(-t x G(W x^b / rho, sqrt t) / pi)], x ~ Gamma(N), written as an integral
  over c = W x^b / rho on one composite Gauss-Legendre rule in ln c per s (so that G is
  evaluated once per (s, c), not per (s, W, x)).
* The inner points' mean m = (1/(1-t)) int_t^1 (1 + W y^-b)^-Q dy in closed form:
  int_0^Y (1 + W y^-b)^-Q dy = (W^(1/b)/b) B(u; Q + 1/b, -1/b), u = Y^b/(Y^b + W),
  B(u; p, q) = u^p/p 2F1(p, 1 - q; p + 1; u) (mpmath.hyp2f1), its connection formula at
  1 - u for small W, and the binomial series of 1 - m where W t^-b < 0.1 (the package uses a
  trapezoid rule on a tau lattice).
* The interference exponent G(c, eta) = int_{|u| > 1/eta} c/(c + |u - e|^beta) du:
  for even beta = 2k in closed form by partial fractions in q = |u - e|^2:
  c/(c + q^k) = -(1/k) sum_j w_j/(q - w_j), w_j^k = -c; the angular average of 1/(q - w) over
  the circle |u| = r is 2 pi / sqrt(P(r^2)), P(q) = ((sqrt q - 1)^2 - w)((sqrt q + 1)^2 - w),
  and int dq / sqrt(P) = ln(2 sqrt P + 2 q - 2 (1 + w)); the divergent ends cancel (sum_j w_j
  = 0), leaving G = (pi/k) Re sum_j w_j ln(2 sqrt(P_j(r0^2)) + 2 r0^2 - 2 - 2 w_j), r0 = 1/eta.
  Other beta: the plane beyond distance r0 - 1 from BS 1 (closed form) minus the part of the
  annulus r0 - 1 < d < r0 + 1 inside the disc (d = r0 - cos theta, Gauss-Legendre in theta):
  the package adds the part outside instead.
* Composite Gauss-Legendre rules (mpmath nodes) on panels placed about the two scales of the
  integrand (the echo of BS 1 saturating, the interference closing), no lattice.
"""
from __future__ import annotations

import math
import sys
import time
from functools import lru_cache

import mpmath as mp


@lru_cache(maxsize=None)
def _gl(n: int, dps: int):
    """Gauss-Legendre nodes and weights on (0, 1), n nodes, at dps digits (Newton on P_n)."""
    with mp.workdps(dps + 10):
        xs, ws = [], []
        for i in range(1, n + 1):
            x = mp.cos(mp.pi * (i - mp.mpf(1) / 4) / (n + mp.mpf(1) / 2))
            for _ in range(100):
                p0, p1 = mp.mpf(1), x
                for k in range(2, n + 1):
                    p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
                dp = n * (x * p1 - p0) / (x * x - 1)
                dx = p1 / dp
                x -= dx
                if abs(dx) < mp.mpf(10) ** (-dps - 8):
                    break
            xs.append((1 - x) / 2)
            ws.append(1 / ((1 - x * x) * dp * dp))
        return [+x for x in xs], [+w for w in ws]


def rule(breaks, n):
    """Composite Gauss-Legendre nodes and weights over consecutive breakpoints."""
    x01, w01 = _gl(n, mp.mp.dps)
    xs, ws = [], []
    for a, b in zip(breaks[:-1], breaks[1:]):
        if b <= a:
            continue
        for x, w in zip(x01, w01):
            xs.append(a + (b - a) * x)
            ws.append((b - a) * w)
    return xs, ws


def fill(points, step):
    """Sorted breakpoints containing ``points`` with gaps of at most ``step``."""
    pts = sorted(set(points))
    out = [pts[0]]
    for p in pts[1:]:
        k = max(1, int(mp.ceil((p - out[-1]) / step)))
        a = out[-1]
        out += [a + (p - a) * j / k for j in range(1, k + 1)]
    return out


class Rate:
    def __init__(self, beta, rho, N, Mt, res):
        self.beta, self.b = mp.mpf(beta), mp.mpf(beta) / 2
        self.rho, self.N, self.Q, self.res = mp.mpf(rho), N, Mt - 1, res
        self.a = 2 / self.beta
        self.k_even = int(beta) // 2 if float(beta) == int(beta) and int(beta) % 2 == 0 else 0
        self.n = lambda base: max(4, int(round(base * res)))

    # --- interference exponent -------------------------------------------------------------
    def G(self, c, r0):
        if self.k_even:
            k = self.k_even
            tot = mp.mpc(0)
            for j in range(k):
                w = mp.root(c, k) * mp.expjpi(mp.mpf(2 * j + 1) / k)
                sP = mp.sqrt((r0 - 1) ** 2 - w) * mp.sqrt((r0 + 1) ** 2 - w)
                tot += w * mp.log(2 * sP + 2 * (r0 - 1) * (r0 + 1) - 2 * w)
            return mp.re(tot) * mp.pi / k
        beta, a = self.beta, self.a
        D = r0 - 1
        q = c / (c + D**beta)
        tail = 2 * mp.pi / beta * c**a * mp.beta(a, 1 - a) * mp.betainc(1 - a, a, 0, q, regularized=True)
        th, wt = rule([mp.mpf(0), mp.pi / 4, mp.pi / 2, mp.pi], self.n(16))
        inside = mp.mpf(0)
        for x, w in zip(th, wt):
            d = r0 - mp.cos(x)
            arg = (d * d + 1 - r0 * r0) / (2 * d)
            psi = 2 * mp.acos(max(-1, min(1, arg)))
            inside += w * mp.sin(x) * psi * d * c / (c + d**beta)
        return tail - inside

    # --- echo ----------------------------------------------------------------------------------
    def P(self, W, Y):
        """int_0^Y (1 + W y^-b)^-Q dy = (W^(1/b)/b) B(u; p, -1/b), p = Q + 1/b, u = Y^b/(Y^b + W)."""
        b, Q = self.b, self.Q
        p = Q + 1 / b
        u = Y**b / (Y**b + W)
        return W ** (1 / b) / b * u**p / p * mp.hyp2f1(p, 1 + 1 / b, p + 1, u)

    def P_small(self, W, Y):
        """The same for small W Y^-b, where u rounds to 1: the connection formula of 2F1 at
        1 - u = W/(Y^b + W) gives P = K(W) + (Y^b + W)^(1/b) u^p 2F1(1, Q; 1 - 1/b; 1 - u),
        K(W) = W^(1/b) Gamma(p) Gamma(-1/b) / (b Gamma(Q)) (free of Y)."""
        b, Q = self.b, self.Q
        p = Q + 1 / b
        K = W ** (1 / b) * mp.gamma(p) * mp.gamma(-1 / b) / (b * mp.gamma(Q))
        return K + (Y**b + W) ** (1 / b) * (Y**b / (Y**b + W)) ** p * mp.hyp2f1(1, Q, 1 - 1 / b, W / (Y**b + W))

    def log_m(self, W, s):
        """ln m, m = (1/(1-t)) int_t^1 (1 + W y^-b)^-Q dy, t = e^-s: for x = W t^-b < 0.1 from
        1 - m by the binomial series (1 - m keeps its digits), else from the closed forms."""
        b, Q = self.b, self.Q
        t = mp.exp(-s)
        x = W * mp.exp(b * s)
        if x < mp.mpf("0.1"):
            tot, k, c = mp.mpf(0), 1, mp.mpf(Q)  # c = C(Q + k - 1, k)
            while True:
                term = c * (t * x**k - W**k) / (b * k - 1)
                tot += term if k % 2 else -term
                if abs(term) < mp.eps * abs(tot) * mp.mpf(10) ** -5 and k > 2:
                    break
                c = c * (Q + k) / (k + 1)
                k += 1
            return mp.log1p(-tot / (1 - t))
        # the connection formula where Q W Y^-b < 20 (there P is not below e^-20 of K: at most
        # 9 digits cancel), the direct series beyond (u < 0.76: fast)
        P1 = self.P_small(W, mp.mpf(1)) if Q * W < 20 else self.P(W, mp.mpf(1))
        Pt = self.P_small(W, t) if Q * x < 20 else self.P(W, t)
        return mp.log((P1 - Pt) / (1 - t))

    def one_minus_LX(self, W, s):
        Q, b, N = self.Q, self.b, self.N
        lends = -Q * mp.log1p(W * mp.exp(b * s)) - Q * mp.log1p(W)
        if N == 2 or lends < -200:
            return -mp.expm1(lends)
        return -mp.expm1(lends + (N - 2) * self.log_m(W, s))

    # --- one s ---------------------------------------------------------------------------------
    def g(self, s):
        """int d(ln W) (1 - L_X(W, e^-s)) Phi(W, e^-s)."""
        b, rho, N, Q = self.b, self.rho, self.N, self.Q
        t = mp.exp(-s)
        r0 = mp.exp(s / 2)
        xbar = mp.mpf(N)
        # interference scale: t xbar G(z2) / pi = 1 (bisection in ln z)
        lo, hi = mp.mpf(-300), mp.mpf(300)
        for _ in range(60):
            mid = (lo + hi) / 2
            if t * xbar * self.G(mp.exp(mid), r0) / mp.pi > 1:
                hi = mid
            else:
                lo = mid
        w2 = mp.log(rho) - b * mp.log(xbar) + lo
        we = -b * s - mp.log(Q)
        smear = 2 * b * mp.log(8)
        # ln W in (a, z): composite Gauss-Legendre, finer about the two scales; below a the
        # integrand is W times a function analytic at W = 0 (Gauss-Legendre in W on (0, e^a));
        # above z it decays like W^(-N/b) (the small-x tail of Gamma(N)): Gauss-Legendre in
        # v = e^z / W on (0, 1)
        a = min(we, w2 - smear) - 12
        z = max(we, w2 + smear) + 6
        pts = [a, z]
        # panel widths: the echo factors (1 + W)^-Q are singular pi off the real ln W axis and
        # large within pi/2 of it; width 1 about the echo's saturation (ln W from we - 12 to
        # we + 6, beyond which L_X < e^-69), width 2 where the interference closes
        for lo_, hi_, step in ((we - 12, we + 6, 1), (w2 - smear - 6, w2 + smear + 6, 2)):
            lo_, hi_ = max(a, lo_), min(z, hi_)
            if lo_ < hi_:
                pts += fill([lo_, hi_], mp.mpf(step))
        wn, ww = rule(fill(pts, mp.mpf(10)), self.n(8))
        Wn = [mp.exp(w) for w in wn]
        x, wx = rule([mp.mpf(0), mp.exp(a)], self.n(8))
        Wn += x
        ww = [w * W for w, W in zip(ww, Wn)] + wx  # weights of dW
        v, wv = rule([mp.mpf(0), mp.mpf(1)], self.n(8))
        Wn += [mp.exp(z) / y for y in v]
        ww += [w * mp.exp(z) / y**2 for w, y in zip(wv, v)]
        wn = [mp.log(W) for W in Wn]
        ww = [w / W for w, W in zip(ww, Wn)]  # back to weights of d(ln W)
        # c rule: ln c = ln W - ln rho + b ln x, x in (x_min, x_max): Gamma(N) carries less than
        # 1e-17 outside (0.5, 75) for N = 16 (x_min^N / N! = 1e-18)
        lx_lo = min(mp.log(mp.mpf("0.5")), (mp.loggamma(N + 1) - 18 * mp.log(10)) / N)
        lx_hi = max(mp.log(mp.mpf(75)), mp.log(4 * mp.mpf(N) + 45))
        hc = 3 * b / 4  # panel width in ln c: three widths of the Gamma(N) bump (b / sqrt(N))
        lc0 = min(wn) - mp.log(rho) + b * lx_lo
        npan = int(mp.ceil((max(wn) - mp.log(rho) + b * lx_hi - lc0) / hc))
        xg, wg = _gl(self.n(12), mp.mp.dps)
        cache = {}

        def Gk(p, i):
            key = (p, i)
            if key not in cache:
                lc = lc0 + (p + xg[i]) * hc
                cache[key] = (lc, self.G(mp.exp(lc), r0))
            return cache[key]

        lgN = mp.loggamma(N)
        total = mp.mpf(0)
        for w, wt in zip(wn, ww):
            oml = self.one_minus_LX(mp.exp(w), s)
            if oml == 0:
                continue
            p0 = max(0, int(mp.floor((w - mp.log(rho) + b * lx_lo - lc0) / hc)))
            p1 = min(npan, int(mp.ceil((w - mp.log(rho) + b * lx_hi - lc0) / hc)))
            phi = mp.mpf(0)
            for p in range(p0, p1):
                for i in range(len(xg)):
                    lc, G = Gk(p, i)
                    lx = (lc - w + mp.log(rho)) / b
                    x = mp.exp(lx)
                    e = t * x * G / mp.pi
                    if e > 200:
                        continue
                    # f_N(x) dx = x^N e^-x / Gamma(N) d(ln x),  d(ln x) = d(ln c) / b
                    phi += wg[i] * hc / b * mp.exp(N * lx - x - lgN - e)
            total += wt * oml * phi
        return total

    def rate(self, log=None, part=0, parts=1):
        """R; with ``parts`` > 1 only the s nodes k = part (mod parts): a share of the sum, so
        that processes can split one rate."""
        b, rho, N, Q = self.b, self.rho, self.N, self.Q
        # s* where the echo of BS 1 saturates as the interference closes (rough scale)
        sstar = max(mp.mpf(0), (mp.log(1 / (rho * Q)) + 2 * b * mp.log(N)) / (2 * b))
        # s below 0.02 carries 0.02^(N-1) (negligible for N = 16); graded toward 0 otherwise
        pts = [mp.mpf(x) for x in ("0.02", "0.6", "1.5", "2.5", "4", "6", "9")]
        if mp.mpf("0.02") ** (N - 1) > mp.mpf(10) ** -25:
            pts += [mp.mpf(0), mp.mpf("0.0002"), mp.mpf("0.002")]
        pts += [sstar + d for d in (-4, -2, -1, 0, 1, 2, 4) if sstar + d > mp.mpf("0.6")]
        # beyond, f_s g ~ e^-s (b s + const): panels growing to e^-45
        top = max(pts)
        pts += [top + d for d in (3, 7, 13, 22, 33, 45)]
        breaks = [p for p in sorted(set(pts))]
        breaks = [p for i, p in enumerate(breaks) if i == 0 or p - breaks[i - 1] > mp.mpf("0.3")]
        sn, sw = rule(breaks, self.n(8))
        total = mp.mpf(0)
        for k, (s, w) in enumerate(zip(sn, sw)):
            if k % parts != part:
                continue
            fs = (N - 1) * (-mp.expm1(-s)) ** (N - 2) * mp.exp(-s)
            total += w * fs * self.g(s)
            if log:
                log(k, len(sn), s, total)
        return total


def main(argv):
    """BETA RHO N Mt DPS RES [PART PARTS]: R at resolution RES (or the share PART of PARTS)."""
    beta, rho = mp.mpf(argv[0]), mp.mpf(argv[1])
    N, Mt = int(argv[2]), int(argv[3])
    mp.mp.dps = int(argv[4])
    res = float(argv[5])
    part, parts = (int(argv[6]), int(argv[7])) if len(argv) > 7 else (0, 1)
    t0 = time.process_time()
    v = Rate(beta, rho, N, Mt, res).rate(part=part, parts=parts)
    print(f"beta={argv[0]} rho={argv[1]} N={N} Mt={Mt} dps={mp.mp.dps} res={res} part={part}/{parts}: "
          f"{mp.nstr(v, 25)} nats ({time.process_time() - t0:.0f} s CPU)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
