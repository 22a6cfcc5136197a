"""Analysis of assessments: uncertainty and sensitivity, margins (what it takes)."""
