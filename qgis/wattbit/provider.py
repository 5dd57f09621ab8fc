"""The WattBit Processing provider: one algorithm per planner that `wattbit list` finds."""

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider

from .algorithm import WattBitAlgorithm
from .wattbit_cli import WattBitError, find_wattbit, list_planners

SETTING_EXECUTABLE = "WATTBIT_EXECUTABLE"


def configured_executable():
    """The wattbit path chosen in Processing's options (Providers ▸ WattBit), or ""."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
        return ProcessingConfig.getSetting(SETTING_EXECUTABLE) or ""
    except Exception:  # Processing's Python plugin absent or the setting not registered yet
        return ""


class WattBitProvider(QgsProcessingProvider):
    def __init__(self):
        super().__init__()
        self.problems = []

    def id(self):
        return "wattbit"

    def name(self):
        return "WattBit"

    def longName(self):  # noqa: N802
        return "WattBit planners (submarine cables, GW-class DC hubs, fiber gaps)"

    def load(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig, Setting
            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(Setting(
                self.name(), SETTING_EXECUTABLE, "wattbit executable (empty: the installed one, then PATH)",
                "", valuetype=Setting.FILE))
            ProcessingConfig.readSettings()
        except Exception:
            pass  # the setting is a convenience; WATTBIT_EXECUTABLE and PATH still work
        self.refreshAlgorithms()
        return True

    def unload(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig
            ProcessingConfig.removeSetting(SETTING_EXECUTABLE)
        except Exception:
            pass

    def loadAlgorithms(self):  # noqa: N802
        self.problems = []
        wattbit = find_wattbit(configured_executable())
        if wattbit is None:
            self.problems.append("wattbit not found: install WattBit (make install), put wattbit on PATH, "
                                 "or set WATTBIT_EXECUTABLE or Processing ▸ Options ▸ Providers ▸ WattBit")
        else:
            try:
                planners, problems = list_planners(wattbit)
                self.problems += problems
                for name, manifest in planners:
                    try:
                        self.addAlgorithm(WattBitAlgorithm(wattbit, name, manifest))
                    except Exception as error:  # one odd manifest must not hide the others
                        self.problems.append(f"{name}: manifest not usable in QGIS ({error})")
            except WattBitError as error:
                self.problems.append(str(error))
        for problem in self.problems:
            QgsMessageLog.logMessage(problem, "WattBit", Qgis.Warning)
