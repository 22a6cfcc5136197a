"""Analysis of assessments: uncertainty and sensitivity."""
