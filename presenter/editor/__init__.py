"""The deck editor (编辑器): prepare a case in a window, on the same deck files a person
would write by hand. Plain Python: the web side is `presenter.web.editor`."""
