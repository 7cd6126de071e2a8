"""Self-contained HTML reports (``--format html``): inline CSS and SVG, no scripts, no network.

One module per report, all fed by the typed results the text renderers use: a week
(:class:`~optimizer.result.SolveResult`), a programme, a comparison and an explanation.
Nothing here imports pandas or ortools.
"""

from .compare import render_comparison_html
from .explain import render_explanation_html
from .programme import render_programme_html
from .week import render_week_html

__all__ = ["render_comparison_html", "render_explanation_html", "render_programme_html", "render_week_html"]
