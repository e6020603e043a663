# SPDX-License-Identifier: LGPL-2.1-or-later
"""An APDU script console in the spirit of pcsc-tools' gscriptor. ``python -m smartcard.wx.console``

Edit a script in scriptor's format (what ``pyscard send --file`` reads), pick
a reader, run the whole script or the line under the cursor, and read each
response with its status word's meaning; the card's ATR is shown decoded.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any, Sequence

import wx

from smartcard.cli.apdu_script import Step, parse_script
from smartcard.cli.errors import UsageError
from smartcard.ReaderMonitoring import ReaderMonitor, ReaderObserver
from smartcard.wx import ICO_SMARTCARD
from smartcard.wx._atr_text import describe_atr
from smartcard.wx._console_run import Outcome, run_steps, steps_at_line
from smartcard.wx._gui_thread import on_gui_thread

TITLE = "APDU script console"
COLUMNS = (("Line", 50), ("Command", 220), ("Response", 200), ("SW", 60), ("Meaning", 330))
WILDCARD = "APDU scripts (*.apdu;*.txt;*.script)|*.apdu;*.txt;*.script|All files|*"
EXAMPLE = """\
# scriptor format: one APDU a line, 'reset' resets the card, '#' starts a comment
00 A4 04 00 0A F0 70 79 73 63 61 72 64 00 01
80 10 00 00 03 01 02 03
00 B0 00 00 10
"""


class _ReaderChoice(ReaderObserver):
    """Keeps the console's reader list current (on the GUI thread)."""

    def __init__(self, choice: Any) -> None:
        ReaderObserver.__init__(self)
        self.choice = choice

    def update(self, observable: Any, handlers: Any) -> None:
        added, removed = handlers
        on_gui_thread(self.choice, self._apply, [str(r) for r in added], [str(r) for r in removed])

    def _apply(self, added: list[str], removed: list[str]) -> None:
        for name in removed:
            index = self.choice.FindString(name)
            if index != wx.NOT_FOUND:
                self.choice.Delete(index)
        for name in added:
            if self.choice.FindString(name) == wx.NOT_FOUND:
                self.choice.Append(name)
        if self.choice.GetSelection() == wx.NOT_FOUND and self.choice.GetCount():
            self.choice.SetSelection(0)


class ConsoleFrame(wx.Frame):
    """The console window: reader and actions on top, script left, results and ATR right."""

    def __init__(self, parent: Any = None, path: str | None = None) -> None:
        wx.Frame.__init__(self, parent, -1, TITLE, size=(1100, 650))
        if ICO_SMARTCARD and os.path.exists(ICO_SMARTCARD):
            self.SetIcon(wx.Icon(ICO_SMARTCARD, wx.BITMAP_TYPE_ICO))
        self.path: str | None = None
        self._worker: threading.Thread | None = None
        self._make_menus()
        self._make_controls()
        self.CreateStatusBar()
        self.readermonitor = ReaderMonitor()
        self._readers = _ReaderChoice(self.readerchoice)
        self.readermonitor.addObserver(self._readers)
        self.Bind(wx.EVT_WINDOW_DESTROY, self._on_destroy, self)
        if path is not None:
            self.LoadScript(path)
        else:
            self.editor.SetValue(EXAMPLE)
            self.editor.SetModified(False)

    # ------------------------------------------------------------- layout

    def _make_menus(self) -> None:
        file_menu = wx.Menu()
        card_menu = wx.Menu()
        bindings = (
            (file_menu, wx.ID_OPEN, "&Open...\tCtrl+O", self.OnOpen),
            (file_menu, wx.ID_SAVE, "&Save\tCtrl+S", self.OnSave),
            (file_menu, wx.ID_SAVEAS, "Save &as...\tCtrl+Shift+S", self.OnSaveAs),
            (file_menu, wx.ID_EXIT, "&Quit\tCtrl+Q", lambda event: self.Close()),
            (card_menu, wx.ID_EXECUTE, "Run &all\tF5", self.OnRunAll),
            (card_menu, wx.ID_FORWARD, "Run &line\tF6", self.OnRunLine),
            (card_menu, wx.ID_RESET, "&Reset card\tCtrl+R", self.OnReset),
            (card_menu, wx.ID_CLEAR, "&Clear results", self.OnClear),
        )
        for menu, ident, label, handler in bindings:
            menu.Append(ident, label)
            self.Bind(wx.EVT_MENU, handler, id=ident)
        bar = wx.MenuBar()
        bar.Append(file_menu, "&File")
        bar.Append(card_menu, "&Card")
        self.SetMenuBar(bar)

    def _make_controls(self) -> None:
        panel = wx.Panel(self)
        self.readerchoice = wx.Choice(panel, choices=[])
        self.getresponse = wx.CheckBox(panel, label="GET RESPONSE on 61xx/6Cxx")
        self.runallbutton = wx.Button(panel, label="Run all")
        self.runlinebutton = wx.Button(panel, label="Run line")
        self.resetbutton = wx.Button(panel, label="Reset card")
        self.Bind(wx.EVT_BUTTON, self.OnRunAll, self.runallbutton)
        self.Bind(wx.EVT_BUTTON, self.OnRunLine, self.runlinebutton)
        self.Bind(wx.EVT_BUTTON, self.OnReset, self.resetbutton)
        top = wx.BoxSizer(wx.HORIZONTAL)
        top.Add(wx.StaticText(panel, label="Reader:"), 0, wx.ALIGN_CENTER_VERTICAL | wx.RIGHT, 5)
        top.Add(self.readerchoice, 1, wx.RIGHT, 10)
        top.Add(self.getresponse, 0, wx.ALIGN_CENTER_VERTICAL | wx.RIGHT, 10)
        for button in (self.runallbutton, self.runlinebutton, self.resetbutton):
            top.Add(button, 0, wx.RIGHT, 5)

        fixed = wx.Font(wx.FontInfo(10).Family(wx.FONTFAMILY_TELETYPE))
        splitter = wx.SplitterWindow(panel, style=wx.SP_LIVE_UPDATE)
        self.editor = wx.TextCtrl(splitter, style=wx.TE_MULTILINE | wx.TE_RICH2 | wx.HSCROLL)
        self.editor.SetFont(fixed)
        right = wx.SplitterWindow(splitter, style=wx.SP_LIVE_UPDATE)
        self.results = wx.ListCtrl(right, style=wx.LC_REPORT | wx.LC_SINGLE_SEL)
        for index, (name, width) in enumerate(COLUMNS):
            self.results.InsertColumn(index, name, width=width)
        self.atrtext = wx.TextCtrl(right, style=wx.TE_MULTILINE | wx.TE_READONLY | wx.HSCROLL)
        self.atrtext.SetFont(fixed)
        self.atrtext.SetValue("ATR: run a command or reset the card to read it")
        right.SplitHorizontally(self.results, self.atrtext, 300)
        right.SetMinimumPaneSize(80)
        splitter.SplitVertically(self.editor, right, 380)
        splitter.SetMinimumPaneSize(150)

        sizer = wx.BoxSizer(wx.VERTICAL)
        sizer.Add(top, 0, wx.EXPAND | wx.ALL, 5)
        sizer.Add(splitter, 1, wx.EXPAND)
        panel.SetSizer(sizer)

    # -------------------------------------------------------------- files

    def LoadScript(self, path: str) -> None:
        """Show the script in ``path`` in the editor."""
        with open(path, encoding="utf-8") as script:
            self.editor.SetValue(script.read())
        self.editor.SetModified(False)
        self.path = path
        self._show_title()

    def SaveScript(self, path: str) -> None:
        """Write the editor's text to ``path``."""
        with open(path, "w", encoding="utf-8") as script:
            script.write(self.editor.GetValue())
        self.editor.SetModified(False)
        self.path = path
        self._show_title()

    def _show_title(self) -> None:
        name = os.path.basename(self.path) if self.path else "untitled"
        self.SetTitle(f"{name} - {TITLE}")

    def OnOpen(self, event: Any) -> None:
        with wx.FileDialog(self, "Open an APDU script", wildcard=WILDCARD) as dialog:
            if dialog.ShowModal() == wx.ID_OK:
                self._guarded(self.LoadScript, dialog.GetPath())

    def OnSave(self, event: Any) -> None:
        if self.path is None:
            self.OnSaveAs(event)
        else:
            self._guarded(self.SaveScript, self.path)

    def OnSaveAs(self, event: Any) -> None:
        style = wx.FD_SAVE | wx.FD_OVERWRITE_PROMPT
        with wx.FileDialog(self, "Save the script", wildcard=WILDCARD, style=style) as dialog:
            if dialog.ShowModal() == wx.ID_OK:
                self._guarded(self.SaveScript, dialog.GetPath())

    def _guarded(self, action: Any, path: str) -> None:
        try:
            action(path)
        except (OSError, UnicodeError) as exc:
            self.SetStatusText(f"{path}: {exc}")

    # ------------------------------------------------------------ running

    @property
    def source(self) -> str:
        return self.path or "script"

    def CurrentLine(self) -> int:
        """The editor's line (1-based) holding the cursor."""
        _, _, row = self.editor.PositionToXY(self.editor.GetInsertionPoint())
        return int(row) + 1

    def OnRunAll(self, event: Any) -> None:
        try:
            steps = parse_script(self.editor.GetValue().splitlines(), self.source)
        except UsageError as exc:
            self.SetStatusText(str(exc))
            return
        self.RunSteps(steps)

    def OnRunLine(self, event: Any) -> None:
        line = self.CurrentLine()
        try:
            steps = steps_at_line(self.editor.GetValue(), line, self.source)
        except UsageError as exc:
            self.SetStatusText(str(exc))
            return
        if not steps:
            self.SetStatusText(f"line {line}: no APDU to send")
            return
        self.RunSteps(steps)

    def OnReset(self, event: Any) -> None:
        self.RunSteps([Step(apdu=None, line=None, source="reset button")])

    def OnClear(self, event: Any) -> None:
        self.results.DeleteAllItems()

    def IsRunning(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def RunSteps(self, steps: Sequence[Step]) -> None:
        """Run ``steps`` on the selected reader's card, on a worker thread."""
        reader = self.readerchoice.GetStringSelection()
        if not reader:
            self.SetStatusText("no reader: connect one, then pick it in the list")
            return
        if self.IsRunning():
            return
        self._enable(False)
        self.SetStatusText(f"running {len(steps)} command(s) on {reader}...")
        worker = threading.Thread(
            target=self._run,
            args=(reader, list(steps), self.getresponse.GetValue()),
            name="apdu-console",
            daemon=True,
        )
        self._worker = worker
        worker.start()

    def _run(self, reader: str, steps: list[Step], get_response: bool) -> None:
        def report(outcome: Outcome) -> None:
            on_gui_thread(self, self._add_outcome, outcome)

        def on_atr(atr: bytes) -> None:
            on_gui_thread(self, self._show_atr, reader, atr)

        try:
            run_steps(reader, steps, report, on_atr, get_response)
        finally:
            on_gui_thread(self, self._finished)

    def _add_outcome(self, outcome: Outcome) -> None:
        line = "" if outcome.line is None else str(outcome.line)
        values = (line, outcome.command, outcome.response, outcome.sw, outcome.meaning)
        row = self.results.InsertItem(self.results.GetItemCount(), values[0])
        for column, value in enumerate(values[1:], 1):
            self.results.SetItem(row, column, value)
        if outcome.failed:
            self.results.SetItemTextColour(row, wx.RED)
            self.SetStatusText(outcome.meaning)
        self.results.EnsureVisible(row)

    def _show_atr(self, reader: str, atr: bytes) -> None:
        self.atrtext.SetValue(describe_atr(atr, reader))

    def _finished(self) -> None:
        self._worker = None
        self._enable(True)
        if not self.GetStatusBar().GetStatusText().startswith("running"):
            return
        self.SetStatusText("done")

    def _enable(self, enabled: bool) -> None:
        for button in (self.runallbutton, self.runlinebutton, self.resetbutton):
            button.Enable(enabled)

    def Results(self) -> list[tuple[str, ...]]:
        """The rows of the results list, as shown (for tests and scripts)."""
        return [
            tuple(self.results.GetItemText(row, column) for column in range(len(COLUMNS)))
            for row in range(self.results.GetItemCount())
        ]

    def _on_destroy(self, event: Any) -> None:
        if event.GetEventObject() is self:
            self.readermonitor.deleteObserver(self._readers)
        event.Skip()


def make_frame(path: str | None = None) -> ConsoleFrame:
    frame = ConsoleFrame(None, path)
    frame.Show()
    return frame


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m smartcard.wx.console [SCRIPT]``"""
    args = list(sys.argv[1:] if argv is None else argv)
    app = wx.App(False)
    make_frame(args[0] if args else None)
    app.MainLoop()


if __name__ == "__main__":
    main()
