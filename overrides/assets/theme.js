{#- A static template (mkdocs.yml theme.static_templates): MkDocs renders it once per build into
    site/assets/theme.js, with the palette and features of mkdocs.yml. Material's templates would
    print all of this in every page. -#}
{% import "partials/language.html" as lang with context %}
{%- set conf = {"features": config.theme.features or [], "translations": {"clipboard.copy": lang.t("clipboard.copy"), "clipboard.copied": lang.t("clipboard.copied")}} %}
{%- if config.extra.annotate %}{% set _ = conf.update({"annotate": config.extra.annotate}) %}{% endif %}
{%- if config.extra.tags %}{% set _ = conf.update({"tags": config.extra.tags}) %}{% endif %}
{%- set _ = namespace(palette=[]) %}
{%- for option in (config.theme.palette if config.theme.palette and config.theme.palette is not mapping else []) %}
{%- set _.palette = _.palette + [{"media": option.media | d("", true), "scheme": option.scheme | d("default", true) | replace(" ", "-"),
     "primary": option.primary | d("indigo", true) | replace(" ", "-"), "accent": option.accent | d("indigo", true) | replace(" ", "-"),
     "name": option.toggle.name if option.toggle else none,
     "icon": option.toggle.icon | replace("material/", "") if option.toggle else none}] %}
{%- endfor -%}
// Material 9.8.1's palette toggle, its two inline scripts (partials/palette.html,
// partials/javascripts/base.html and palette.html) and its configuration (base.html's
// __config), said once in this file instead of in every page. The header loads it where Material
// prints the palette's form; Material's script, at the end of the page, reads what it made.
// - The toggle works only with JavaScript (Material's script shows its labels): its form, inputs
//   and labels are made here, as Material prints them, from the palette of mkdocs.yml, where the
//   header loads this file.
// - So does the button back to the top (navigation.top), which Material's script shows as the
//   reader scrolls up: made at the end of <main>, as Material prints it, when the page is read and
//   before Material's script looks for it (this listener is older than the script's).
// - The storage helpers are Material's but for their scope, the site's root, found from this
//   file's own address (assets/theme.js) rather than from each page's base URL, and for blocked
//   storage: a browser that blocks site data throws at the first touch of localStorage, which
//   stopped this file and Material's script there; now nothing is remembered and nothing stops.
//   A palette stored without a numeric index and a colour object (by another page of the host, or
//   by hand) is none: Material's script takes the index as a number and stopped at NaN.
// - The configuration holds only what Material's script reads on this site (the clipboard's
//   messages are a code block's copy button's; Material's search, versions, tags and
//   annotations are not on this site), with that root as its base.
// - The two toggles Material's script reads at start-up (the drawer's and the search's, which
//   this site does not use but the script requires) and the body's palette attributes (the
//   palette's first entry) are made here, not printed in every page: only the script uses them.
// - The restore sets the reader's palette before the page shows.
// - Material fetches sitemap.xml beside every <link rel="alternate"> of a page, for a language
//   selector this site does not have: the feed's and the JSON's links cost every page view the
//   whole sitemap (half a megabyte at a thousand meetings) and a request that fails. They are
//   for feed readers and programs, which read the HTML, not this page's DOM: here they lose
//   their rel before Material's script looks.
(function(){var b=document.body;["search","drawer"].forEach(function(t){var n=document.createElement("input");n.className="md-toggle";n.type="checkbox";n.id="__"+t;n.autocomplete="off";n.setAttribute("data-md-toggle",t);b.prepend(n)})})();
(function(){var o={{ _.palette | tojson }},f=document.createElement("form");if(!o.length)return;f.className="md-header__option";f.setAttribute("data-md-component","palette");document.currentScript.before(f);["scheme","primary","accent"].forEach(function(k){document.body.setAttribute("data-md-color-"+k,o[0][k])});o.forEach(function(p,i){var n=document.createElement("input");n.className="md-option";["media","scheme","primary","accent"].forEach(function(k){n.setAttribute("data-md-color-"+k,p[k])});if(p.name)n.setAttribute("aria-label",p.name);else n.setAttribute("aria-hidden","true");n.type="radio";n.name="__palette";n.id="__palette_"+i;f.append(n);if(p.name){var l=document.createElement("label");l.className="md-header__button md-icon gk-i gk-i--"+p.icon;l.title=p.name;l.htmlFor="__palette_"+(i+1)%o.length;l.hidden=!0;f.append(l)}})})();
{% if "navigation.top" in conf.features %}document.addEventListener("DOMContentLoaded",function(){var m=document.querySelector("main.md-main"),b=document.createElement("button");if(!m)return;b.type="button";b.className="md-top md-icon gk-i gk-i--top";b.setAttribute("data-md-component","top");b.hidden=!0;b.textContent={{ lang.t("top") | tojson }};m.append(b)});
{% endif %}__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_,t=__md_scope)=>{try{var v=JSON.parse((_||localStorage).getItem(t.pathname+"."+e));return "__palette"!==e||v&&"object"==typeof v&&isFinite(v.index)&&v.color&&"object"==typeof v.color?v:null}catch(e){return null}},__md_set=(e,_,t,a=__md_scope)=>{try{(t||localStorage).setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
(function(){var c=document.createElement("script"),o={{ conf | tojson }};o.base=__md_scope.href;c.id="__config";c.type="application/json";c.textContent=JSON.stringify(o);document.head.append(c)})();
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
document.querySelectorAll("link[rel=alternate]").forEach(function(l){l.removeAttribute("rel")});
