import { cueList, cueTexts, hasCue } from "./normalise-text.js";

/**
 * Domestic work named in any reply language: housemaids, house drivers, nannies and cooks in private
 * homes fall under their own laws in the Gulf (Kuwait's Law No. 68 of 2015, Saudi Arabia's domestic
 * worker rules), so a question about them needs their rows, not the private sector's.
 */
const domesticWorkWords = cueList(`domestic | housemaid | house maid | maid | house driver | nanny | gharelu |
  ghar ka kaam | ghar ki kaam | kaam wali | kamwali | naukrani | গৃহকর্মী | গৃহ কর্মী | গৃহকর্ম | হাউসমেইড |
  বাসার কাজ | বাসাবাড়ি | ঘরের কাজ | گھریلو | گھر کا کام | گھر کا ڈرائیور | ماسی | خادمه | خدامه | خادمات | شغاله |
  عاملات منزلیات | عامله منزلیه | عمال المنازل | عاملات بالبیوت | عاملات البیوت | العاملات بالبیوت | عمال البیوت |
  خدمتکار | کارگر خانگی | کارگران خانگی | د کور کار | د کور کارګر |
  домработниц | домашн работ | домашней работ | прислуг | няня | няней | хизматгори хона | хизматгор | корманди хона |
  уй хизматчи | uy xizmatchi | uy ishchi | enaga`);

export function namesDomesticWork(text: string, lang?: string): boolean {
  return cueTexts(text, lang).some((folded) => hasCue(folded, domesticWorkWords));
}
