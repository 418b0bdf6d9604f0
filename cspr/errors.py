class TransitionNotAllowed(Exception):
    """A service refused a change: wrong stage, wrong person or missing information.

    The message is written for the person who tried; views show it as a form or page error.
    """


class Incomplete(TransitionNotAllowed):
    """A service refused because information is missing; `fields` maps each missing
    field's name to a message, so a view can show each next to its field."""

    def __init__(self, fields):
        self.fields = fields
        super().__init__("Some information is missing: " + "; ".join(fields.values()))
