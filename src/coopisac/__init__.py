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
                (private helper: _engine, block seeding, streamed reduction, checkpoints)
cluster         the executors that run Monte Carlo blocks on a local or a running Dask cluster
quadrature      the shared Gauss rules
beamforming     the ZF beams of eq. (1) and samples of the gains they give (for the errata)
antenna         antenna-level Monte Carlo with the ZF beams of eq. (1) (non-coherent and coherent
                joint transmission); the exact L = 1 coverage under the beams' true gain laws
design          the radar rate in physical units (carrier, RCS, processing gain, BSs/km^2) and
                the design trade-offs: power-split front, best split, marginal gains
figures         the book's plotting style, CSV links, glue, and the paper's parameter sets
"""
__version__ = "0.1.0"
