"""coopisac: analysis and Monte Carlo for cooperative ISAC networks.

A reproducible companion to D. Sui et al., "Performance Analysis of Cooperative Integrated
Sensing and Communications for 6G Networks", arXiv:2505.08221.

Modules
-------
geometry        distance laws of an HPPP; the windowless sampler of the nearest BSs
approximations  Conjecture 2 (optimal alpha, K-S distance, Fig. 3 table); Alzer's alpha
coverage        Proposition 1; Theorem 1 (paper / joint distances); the exact coverage for any L and
                the coverage under Conjecture 1 alone (private helper: _gilpelaez, their
                Gil-Pelaez integral)
sensing         Hamdi's lemma; Lemma 1; Theorem 2; Proposition 2; exact radar rate
                (private helpers: _radar, the fixed-rule rate engines; _hole, the interference
                exponent seen from BS 1)
simulation      Monte Carlo of SIR_c and SIR_s, Conjecture 1 samples, conditional transforms
                (private helper: _engine, block seeding and aggregation)
quadrature      the shared Gauss rules
beamforming     the ZF beams of eq. (1) and samples of the gains they give (for the errata)
figures         the book's plotting style, CSV links, glue, and the paper's parameter sets
"""
__version__ = "0.1.0"
