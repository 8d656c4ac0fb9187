/* The offer of another language on an English page (templates/includes/language_offer.html).
   The page is the same for everyone; the browser decides here: the line of the first of
   the site's languages the browser prefers is shown, if that is Spanish or French and the
   visitor has neither closed the offer nor chosen a language before (remembered in
   localStorage). Loaded on every page, so that a choice in the language switcher is
   remembered in any language. */
'use strict';
{
    const KEY = 'icma-language-offer';
    const LANGUAGES = ['en', 'es', 'fr'];

    const remembered = () => {
        try {
            return window.localStorage.getItem(KEY);
        } catch (error) {
            return 'unavailable';  // storage refused: never offer what could not be closed for good
        }
    };

    const remember = (value) => {
        try {
            window.localStorage.setItem(KEY, value);
        } catch (error) {
            // Nothing to do: the offer shows again on the next page.
        }
    };

    // The first of the site's languages in the browser's list ("es-MX" is "es").
    const preferred = () => {
        const tags = navigator.languages && navigator.languages.length
            ? navigator.languages : [navigator.language];
        for (const tag of tags) {
            const code = String(tag || '').toLowerCase().split('-')[0];
            if (LANGUAGES.includes(code)) {
                return code;
            }
        }
        return null;
    };

    const show = () => {
        const language = preferred();
        if (!language || language === 'en' || remembered()) {
            return;
        }
        const offer = document.querySelector(`.language-offer[data-language-offer="${language}"]`);
        if (!offer) {
            return;
        }
        offer.hidden = false;
        offer.querySelector('.language-offer__close').addEventListener('click', () => {
            remember('closed');
            offer.hidden = true;
            // The focus goes on to what followed the line: the header's first link.
            const next = document.querySelector('.site-header a');
            if (next) {
                next.focus();
            }
        });
    };

    // A language chosen in the switcher (or through the offer's link) ends the offer.
    document.addEventListener('click', (event) => {
        const link = event.target instanceof Element
            && event.target.closest('.language-switcher a[hreflang], .language-offer a[hreflang]');
        if (link) {
            remember(`chose ${link.getAttribute('hreflang')}`);
        }
    });

    show();
}
