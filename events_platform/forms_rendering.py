"""Form fields rendered with KERN UX's components (label, hint, error, input), wherever a
template asks for `{{ field.as_field_group }}`."""

from django.forms.renderers import DjangoTemplates

# KERN's class for each kind of widget; widgets not named keep their own look.
WIDGET_CLASSES = {
    "checkbox": "kern-form-check__checkbox",
    "select": "kern-form-input__select",
    "selectmultiple": "kern-form-input__select",
    "textarea": "kern-form-input__input",
    "clearablefile": "kern-form-input__input",
    "file": "kern-form-input__input",
}
NO_CLASS = {"radioselect", "checkboxselectmultiple", "hidden"}


class KernFormRenderer(DjangoTemplates):
    field_template_name = "events_platform/forms/field.html"


def widget_with_kern_classes(field) -> str:
    """The field's widget with KERN's class, its hint and error named for screen readers."""
    attrs = {}
    own = field.field.widget.attrs  # a form that classes its widgets itself keeps its classes
    if field.widget_type not in NO_CLASS and "class" not in own:
        attrs["class"] = WIDGET_CLASSES.get(field.widget_type, "kern-form-input__input")
    described_by = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by and field.auto_id and "aria-describedby" not in own:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
