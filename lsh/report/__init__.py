"""What the RQ chapters show: our scores, paper-vs-ours frames, claims with computed verdicts,
figures. One module per concern; the notebooks only call these and display the results.

- :mod:`.results` - our per-dataset scores (Table 6 style) from the engine's cached results;
- :mod:`.compare` - paper vs ours side by side (Tables 1, 2, 6, achievement, correlations);
- :mod:`.claims` - each headline claim, the paper's evidence, ours, and a computed verdict;
- :mod:`.extreme` - RQ3: SMOTE's applicability and Table 3 in the few-/zero-shot scenarios;
- :mod:`.runtime` - RQ5: the runtime study file (LLM-only vs LSH), tokens and cost;
- :mod:`.views` - 2-D views of original, SMOTE, LLM and LSH rows (Figures 1 and 6);
- :mod:`.figures` - the seaborn figures, saved as files.
"""
