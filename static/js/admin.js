/* Accessible names for the admin's autocomplete boxes (Select2), which Select2 leaves
   unnamed: its combobox gets its field's label, and its search boxes a name saying what
   they search. Runs after django/contrib/admin's autocomplete.js has set Select2 up
   (this script is deferred, so its ready handler comes after that one). */
'use strict';
{
    const labelFor = (select) => {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        if (!label) {
            return null;
        }
        if (!label.id) {
            label.id = `${select.id}_label`;
        }
        return label;
    };

    const name = (select) => {
        const label = labelFor(select);
        if (!label) {
            return;
        }
        const text = label.textContent.replace(/[:*]\s*$/, '').trim();
        const container = select.nextElementSibling;
        if (!container || !container.classList.contains('select2')) {
            return;
        }
        const combobox = container.querySelector('.select2-selection');
        if (combobox) {
            const rendered = combobox.querySelector('.select2-selection__rendered');
            const parts = [label.id];
            if (rendered && rendered.id) {
                parts.push(rendered.id);
                // The choice shown (a "textbox" to Select2) is named by the label too,
                // so that it has a name while nothing is chosen yet.
                rendered.setAttribute('aria-labelledby', parts.join(' '));
            }
            combobox.setAttribute('aria-labelledby', parts.join(' '));
        }
        container.querySelectorAll('.select2-search__field').forEach((field) => {
            field.setAttribute('aria-label', `Search ${text}`);
        });
    };

    const nameAll = (root) => {
        root.querySelectorAll('select.admin-autocomplete').forEach(name);
    };

    if (window.django && window.django.jQuery) {
        const $ = window.django.jQuery;
        $(() => nameAll(document));
        // Select2 draws the single-choice search box when it opens.
        $(document).on('select2:open', (event) => {
            const label = labelFor(event.target);
            const text = label ? label.textContent.replace(/[:*]\s*$/, '').trim() : '';
            document.querySelectorAll('.select2-container--open .select2-search__field')
                .forEach((field) => field.setAttribute('aria-label', `Search ${text}`));
        });
        // A multiple-choice box redraws its search box after each choice.
        $(document).on('select2:select select2:unselect', (event) => name(event.target));
        document.addEventListener('formset:added', (event) => {
            setTimeout(() => nameAll(event.target));
        });
    }
}

/* django-import-export's export page: its "Select all" box has no id for its label to
   name, and its inline onchange handler is refused by the site's Content Security
   Policy (no inline scripts). Both given here. */
{
    document.querySelectorAll('input.select-toggle[name="select-all-toggle"]').forEach((box) => {
        if (!box.id) {
            box.id = 'select-all-toggle';
        }
        box.addEventListener('change', (event) => {
            if (typeof window.onSelectToggleChange === 'function') {
                window.onSelectToggleChange(event);
            }
        });
    });
}
