"""The pages of activities: the agenda and an activity (agenda, detail), what organisers do
(manage, documents) and the calendars (calendar)."""

from m50.activities.views.agenda import body_activities_context, municipality_activities_context

__all__ = ["body_activities_context", "municipality_activities_context"]
