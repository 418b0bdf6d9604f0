class TransitionNotAllowed(Exception):
    """A service refused a change: wrong stage, wrong person or missing information.

    The message is written for the person who tried; views show it as a form or page error.
    """
