// Shared by the console's modules: what the page holds, and small DOM helpers.

export const languages = ["eng", "ben", "urd", "fas", "pus", "ara", "rus", "tgk", "uzb"];
export const outcomes = ["information-given", "referred-to-service", "follow-up-needed", "emergency-referral"];

export const state = {
  texts: {},
  english: {},
  session: null,
  current: null,
  queue: { queue: [], held: [] },
  events: null,
  /** Language codes to their own names ("ben" → "বাংলা"), from the interface's translation files. */
  languageNames: {},
};

export const $ = (id) => document.getElementById(id);

/** Set by console.js: what clicking a case in a list does (the lists are drawn in views.js). */
export const handlers = { open: () => undefined };

export function element(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.text !== undefined) node.textContent = options.text;
  if (options.className) node.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}
