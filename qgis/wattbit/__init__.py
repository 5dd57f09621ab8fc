"""WattBit's QGIS Processing provider: every planner `wattbit list` finds, as an algorithm."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import WattBitPlugin
    return WattBitPlugin(iface)
