import { originFromLanguage, placeMentions } from "../i18n/countries.js";
import type { LanguageCode } from "../i18n/languages.js";
import { questionKinds, type QuestionKind } from "../nlu/question-kind.js";
import { countriesNamedAsFrom, countriesNamedAsWhere } from "../nlu/where-named.js";
import type { AnswerRequest } from "./knowledge-base.js";

/**
 * What a question asks of the leaflets, read once from its words: the places and cities it names (the
 * asker's own country apart), the kinds of fact it asks, and the countries to search. The bot and the
 * calibration both build requests here, so what is calibrated is what the bot does.
 */
export function answerRequestFor(
  query: string,
  lang: LanguageCode,
  context: {
    /** Countries the search is narrowed to (named in the message or known for the conversation). */
    readonly countries: readonly string[];
    readonly origin: string | null;
    /** The kinds of fact asked when they come from another message than `query` (a follow-up). */
    readonly kinds?: readonly QuestionKind[] | null;
  },
): AnswerRequest {
  const { countries } = context;
  // "в Казахстане", "در ایران": a country that both sends and takes in migrants, named as where the person
  // is or goes, is what the question is about, even when it was taken for their own country (that stays
  // for the MRC and the helplines); their origin is then what their language suggests.
  const namedAsWhere = countriesNamedAsWhere(query);
  const cameFrom = countriesNamedAsFrom(query);
  const asWhere = context.origin !== null && namedAsWhere.has(context.origin);
  const origin = asWhere && context.origin !== originFromLanguage(lang) ? originFromLanguage(lang) : context.origin;
  const mentions = placeMentions(query);
  return {
    query,
    lang,
    // A search narrowed to the places named also keeps the asker's own country's leaflets (its welfare
    // fund, its agencies): they answer about any destination. A guessed origin never narrows a search.
    countries: countries.length > 0 ? [...new Set([...countries, ...(origin ? [origin] : [])])] : [],
    kinds: context.kinds ?? questionKinds(query),
    // A returnee "back from Pakistan" asks about home: Pakistan is where they were, not the place asked,
    // unless it is also named as where they are or go.
    places: [...new Set(mentions.map((mention) => mention.code))].filter(
      (code) => code !== origin && !(cameFrom.has(code) && !namedAsWhere.has(code) && origin !== null),
    ),
    cities: mentions.flatMap((mention) =>
      mention.city && mention.code !== origin ? [{ code: mention.code, city: mention.city }] : [],
    ),
    origin,
    // A town of the asker's own country where something happens ("we came back through Torkham"), not the
    // one they say they are from ("I am from Tashkent"): that tells who asks, not what about.
    homeTowns:
      origin !== null && cameFrom.has(origin)
        ? []
        : mentions.flatMap((mention) => (mention.city && mention.code === origin ? [mention.city] : [])),
  };
}
