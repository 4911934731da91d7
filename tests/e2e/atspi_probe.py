"""What a screen reader sees of the app, through AT-SPI (the Linux accessibility bus), for test_screen_reader.py.
Runs on the system python3 (python3-pyatspi); one command per run, JSON on stdout:

  atspi_probe.py tree APP                 every showing object of the application: [role, name, [states], text]
                                          (text: what a live region or another text object holds, else "")
  atspi_probe.py act APP ROLE NAME        does the first action (press, click) of the object with that role and name
  atspi_probe.py focus APP ROLE NAME      moves the keyboard focus to that object (WebKit's entries have no
                                          editable-text interface: the keys are then typed, as the user does)
"""
import json
import sys

import pyatspi


def application(name):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name == name:
            return app
    return None


def walk(acc, depth=0):
    if acc is None or depth > 60:
        return
    yield acc
    for i in range(acc.childCount):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:  # an object that went away meanwhile
            continue
        yield from walk(child, depth + 1)


def showing(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


LIVE_ROLES = {"status bar", "notification", "alert"}


def text_of(acc):
    if acc.getRoleName() not in LIVE_ROLES:
        return ""
    try:
        text = acc.queryText()
        return text.getText(0, text.characterCount)
    except NotImplementedError:
        return ""


def described(acc):
    states = [pyatspi.stateToString(s) for s in acc.getState().getStates()]
    return [acc.getRoleName(), acc.name or "", states, text_of(acc)]


def find(app, role, name):
    for acc in walk(app):
        if showing(acc) and acc.getRoleName() == role and (acc.name or "") == name:
            return acc
    return None


def main(argv):
    command, app_name = argv[1], argv[2]
    app = application(app_name)
    if app is None:
        print(json.dumps(None))
        return 0
    if command == "tree":
        print(json.dumps([described(a) for a in walk(app) if showing(a)]))
    elif command == "act":
        acc = find(app, argv[3], argv[4])
        if acc is None:
            print(json.dumps(False))
            return 0
        acc.queryAction().doAction(0)
        print(json.dumps(True))
    elif command == "focus":
        acc = find(app, argv[3], argv[4])
        if acc is None:
            print(json.dumps(False))
            return 0
        print(json.dumps(bool(acc.queryComponent().grabFocus())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
