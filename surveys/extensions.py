"""What the apps above surveys add to its pages, registered in their AppConfig.ready()
(surveys never imports them):

    from surveys.extensions import results_panels
    results_panels.register("programmes", panel, order=10)

A panel is a callable `(request, survey) -> str | None` returning rendered HTML; the results
page shows every panel below its heading (e.g. "the programme built from this survey").
"""

from events_platform.extensions import PanelRegistry

results_panels = PanelRegistry()
