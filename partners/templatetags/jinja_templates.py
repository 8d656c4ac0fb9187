"""The `jinja_templates` template tag library: `{% load jinja_templates %}`.

`{% jinja_include "includes/partner_cards.html" partners=neighbours %}` writes the Jinja2
template of that name (templates/jinja2/) with the given variables: how the Django
templates write the site's frame (base.html), the partner cards and the pagination. The
cards were a Django template included once per card, and those includes took a third
of the directory's rendering time; Jinja2 compiles a template to Python and runs the
whole list in a fraction of it.
"""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def jinja_include(name, **variables):
    """The Jinja2 template `name`, rendered with `variables` (its output escaped)."""
    return mark_safe(engines["jinja2"].env.get_template(name).render(variables))
