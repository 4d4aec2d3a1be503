"""The pages of activities: the agenda and an activity (agenda, detail), what organisers do
(manage, documents) and the calendars (calendar)."""
