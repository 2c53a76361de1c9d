"""coopisac: analysis and Monte Carlo for cooperative ISAC networks.

A reproducible companion to D. Sui et al., "Performance Analysis of Cooperative Integrated
Sensing and Communications for 6G Networks", arXiv:2505.08221.

Modules
-------
geometry        distance laws of an HPPP; the windowless sampler of the nearest BSs
approximations  Conjecture 1 helpers; Conjecture 2 (optimal alpha, K-S distance); Alzer's alpha
coverage        Proposition 1; Theorem 1 (paper / joint distances); exact coverage
sensing         Hamdi's lemma; Lemma 1; Theorem 2; Proposition 2; exact radar rate
simulation      the Monte Carlo engine and its two estimators (coverage, radar rate)
quadrature      the shared Gauss rules
"""
__version__ = "0.1.0"
