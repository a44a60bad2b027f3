// The console's own words, in the counsellor's language (src/console/public/i18n/*.json).
import { $, element, languages, outcomes, state } from "./state.js";

/** Dari wording is used for Persian, so fa-AF. */
const bcp47 = { eng: "en", ben: "bn", urd: "ur", fas: "fa-AF", pus: "ps", ara: "ar", rus: "ru", tgk: "tg", uzb: "uz" };

export function t(key, values = {}) {
  const template = state.texts[key] ?? state.english[key] ?? key;
  return template.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export async function loadTexts(lang) {
  const fetchTexts = async (code) => {
    const response = await fetch(`/console/i18n/${code}.json`);
    return response.ok ? response.json() : {};
  };
  if (!state.english.app_title) state.english = await fetchTexts("eng");
  state.texts = lang === "eng" ? state.english : await fetchTexts(lang);
  const meta = state.texts._meta ?? state.english._meta;
  // The page's lang is a BCP 47 tag: it picks fonts, and Intl formats dates and country names by it.
  document.documentElement.lang = bcp47[lang] ?? "en";
  document.documentElement.dir = meta?.dir ?? "ltr";
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll("[data-placeholder]")) node.placeholder = t(node.dataset.placeholder);
  document.title = t("app_title");
  const outcome = $("outcome");
  outcome.replaceChildren(
    ...outcomes.map((id) => element("option", { text: t(`outcome_${id}`), attrs: { value: id } })),
  );
}

/** `redraw` draws the page again in the newly chosen language. */
export async function setupLanguagePicker(redraw) {
  const saved = localStorage.getItem("rahnama.console.lang");
  const browser = navigator.language.slice(0, 2);
  const fromBrowser = {
    en: "eng",
    bn: "ben",
    ur: "urd",
    fa: "fas",
    ps: "pus",
    ar: "ara",
    ru: "rus",
    tg: "tgk",
    uz: "uzb",
  };
  const lang = languages.includes(saved) ? saved : (fromBrowser[browser] ?? "eng");
  const picker = $("ui-lang");
  const names = await Promise.all(
    languages.map(async (code) => {
      const response = await fetch(`/console/i18n/${code}.json`);
      const texts = response.ok ? await response.json() : null;
      return texts ? [code, texts._meta?.language ?? code] : null;
    }),
  );
  state.languageNames = Object.fromEntries(names.filter(Boolean));
  picker.replaceChildren(
    ...names.filter(Boolean).map(([code, name]) => element("option", { text: name, attrs: { value: code } })),
  );
  picker.value = lang;
  picker.addEventListener("change", async () => {
    localStorage.setItem("rahnama.console.lang", picker.value);
    await loadTexts(picker.value);
    redraw();
  });
  await loadTexts(lang);
}

export function languageName(code) {
  return code ? (state.languageNames[code] ?? code) : t("unknown");
}

export function countryName(code) {
  if (!code) return t("unknown");
  try {
    return new Intl.DisplayNames([document.documentElement.lang, "en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
