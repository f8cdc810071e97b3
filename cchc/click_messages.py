"""click's own messages (usage, errors, help headings), listed so the catalogue translates them.

click looks them up with the standard ``gettext.gettext``; ``pipeline.i18n.install_for_process``
points that at our catalogue. Nothing imports this module: it is read by the message extractor.
"""
from pipeline.i18n import N_, ngettext

CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Missing argument"), N_("Missing option"),
    N_("Missing parameter"), N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."), N_("No such command {name!r}."), N_("Missing command."),
    N_("Aborted!"), N_("default: {default}"), N_("env var: {var}"), N_("required"),
    N_("Choose from:\n\t{choices}"), N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."), N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("file"), N_("directory"), N_("path"),
    N_("Option {name!r} does not take a value."), N_("Argument {name!r} takes {nargs} values."),
)
CLICK_PLURALS = (
    lambda n: ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n),
    lambda n: ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
    lambda n: ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n),
    lambda n: ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
)
