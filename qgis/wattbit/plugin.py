"""The QGIS plugin: registers the WattBit Processing provider (also under qgis_process)."""

from qgis.core import QgsApplication

from .provider import WattBitProvider


class WattBitPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS's name; qgis_process calls it)
        if self.provider is None:
            self.provider = WattBitProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
