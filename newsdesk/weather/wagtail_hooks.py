from wagtail import hooks


@hooks.register("register_icons")
def register_icons(icons: list[str]) -> list[str]:
    # Wagtail ships no "sun" icon; the weather settings' menu item uses this one.
    return [*icons, "weather/admin/icons/sun.svg"]
