//! Keyword rules that add voices, themes and content notes to imported files.
//!
//! The rules are data (`data/voices.yaml`, `data/themes.yaml`, `data/content-notes.yaml`) so
//! that editors can read and change them; this module only applies them, the same way every
//! time:
//!
//! - a quote's `voice` is the voice whose `speakers` list holds its `speaker`, compared
//!   without regard to capitals and spaces;
//! - a section, quote or idea gets every theme and content note with a keyword in its text,
//!   matched by [`chorus::rules`] (whole words, acronyms in capitals only, the longer of two
//!   overlapping keywords wins), the same matcher `chorus check` uses for missing notes;
//! - an idea also gets the theme of each of its topics (themes and topics share slugs);
//! - values already in a file are kept: the result is their union with what the rules find,
//!   without duplicates, in the vocabulary's order.

use std::fmt;
use std::path::PathBuf;

use super::{FrontMatter, ImportedFile};
use chorus::rules::{Haystack, KeywordRule, first_matches, prose};
use chorus::vocabulary::Vocabularies;

/// The classification rules, prepared once from the vocabularies for every file.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    themes: Vec<KeywordRule>,
    content_notes: Vec<KeywordRule>,
    voices: Vec<VoiceRule>,
}

/// A voice and its speakers, folded for comparison.
#[derive(Debug, Clone)]
struct VoiceRule {
    slug: String,
    speakers: Vec<String>,
}

/// A quote whose speaker belongs to no voice: the importer reports it and writes the quote
/// without a voice, so that an editor adds the attribution to `data/voices.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSpeaker {
    /// The quote's path, relative to the content directory.
    pub path: PathBuf,
    pub speaker: String,
}

impl fmt::Display for UnknownSpeaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the speaker \"{}\" belongs to no voice in data/voices.yaml; \
             the quote is written without a voice",
            self.path.display(),
            self.speaker
        )
    }
}

/// Prepares the rules from the site's vocabularies. Build them once and pass them to
/// [`classify`] for every imported file:
///
/// ```ignore
/// let vocabularies = Vocabularies::load(root, &config)?; // the site root and its site.yaml
/// let rules = rules_from(&vocabularies);
/// for file in &mut imported {
///     if let Some(warning) = classify(file, &rules) {
///         eprintln!("warning: {warning}");
///     }
/// }
/// ```
pub fn rules_from(vocabularies: &Vocabularies) -> Rules {
    Rules {
        themes: vocabularies
            .themes
            .iter()
            .map(|term| KeywordRule::new(&term.slug, &term.keywords))
            .collect(),
        content_notes: vocabularies
            .content_notes
            .iter()
            .map(|rule| KeywordRule::new(&rule.note, &rule.keywords))
            .collect(),
        voices: vocabularies
            .voices
            .iter()
            .map(|term| VoiceRule {
                slug: term.slug.clone(),
                speakers: term.speakers.iter().map(|s| fold_speaker(s)).collect(),
            })
            .collect(),
    }
}

/// Adds voices, themes and content notes to one imported file by the rules. Summaries and
/// pages are left as they are. Returns the quote's speaker when it belongs to no voice.
pub fn classify(file: &mut ImportedFile, rules: &Rules) -> Option<UnknownSpeaker> {
    match &mut file.front_matter {
        FrontMatter::Section(meta) => {
            let text = Haystack::new(&format!("{}\n\n{}", meta.title, prose(&file.body)));
            add_matches(&mut meta.themes, &rules.themes, &text, &[]);
            add_matches(&mut meta.content_note, &rules.content_notes, &text, &[]);
            None
        }
        FrontMatter::Quote(meta) => {
            let text = Haystack::new(&prose(&file.body));
            add_matches(&mut meta.themes, &rules.themes, &text, &[]);
            add_matches(&mut meta.content_note, &rules.content_notes, &text, &[]);
            let speaker = meta.speaker.as_deref()?;
            match rules.voice_for(speaker) {
                Some(slug) => {
                    if meta.voice.is_none() {
                        meta.voice = Some(slug.to_string());
                    }
                    None
                }
                None => Some(UnknownSpeaker {
                    path: file.path.clone(),
                    speaker: speaker.to_string(),
                }),
            }
        }
        FrontMatter::Idea(meta) => {
            let text = Haystack::new(&prose(&file.body));
            add_matches(&mut meta.themes, &rules.themes, &text, &meta.topics);
            add_matches(&mut meta.content_note, &rules.content_notes, &text, &[]);
            None
        }
        FrontMatter::Summary(_) | FrontMatter::Page(_) => None,
    }
}

impl Rules {
    /// The slug of the voice whose speakers hold `speaker`, ignoring capitals and spaces.
    fn voice_for(&self, speaker: &str) -> Option<&str> {
        let wanted = fold_speaker(speaker);
        self.voices
            .iter()
            .find(|voice| voice.speakers.contains(&wanted))
            .map(|voice| voice.slug.as_str())
    }
}

/// Puts into `values` every label of `rules` that has a keyword in `text` or is one of
/// `also`, keeping the values already there; the labels come in the rules' order and values
/// the rules do not know follow in their own order.
fn add_matches(values: &mut Vec<String>, rules: &[KeywordRule], text: &Haystack, also: &[String]) {
    let found = first_matches(rules, text).into_iter().map(|m| m.is_some());
    let mut merged: Vec<String> = Vec::with_capacity(values.len());
    for (rule, matched) in rules.iter().zip(found) {
        let wanted = matched || values.contains(&rule.label) || also.contains(&rule.label);
        if wanted && !merged.contains(&rule.label) {
            merged.push(rule.label.clone());
        }
    }
    for value in values.iter() {
        if !merged.contains(value) {
            merged.push(value.clone());
        }
    }
    *values = merged;
}

/// A speaker as compared with a voice's speakers: whitespace collapsed, lowercase.
fn fold_speaker(speaker: &str) -> String {
    speaker
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus::content::kinds::{PageMeta, Provenance, QuoteMeta, ResponseMeta, SectionMeta};
    use chorus::vocabulary::{ContentNoteRule, GlossaryEntry, Term};

    fn themes() -> Vec<Term> {
        parse_data(include_str!("../../../data/themes.yaml"))
    }

    fn voices() -> Vec<Term> {
        parse_data(include_str!("../../../data/voices.yaml"))
    }

    fn topics() -> Vec<Term> {
        parse_data(include_str!("../../../data/topics.yaml"))
    }

    fn content_notes() -> Vec<ContentNoteRule> {
        parse_data(include_str!("../../../data/content-notes.yaml"))
    }

    fn glossary() -> Vec<GlossaryEntry> {
        parse_data(include_str!("../../../data/glossary.yaml"))
    }

    fn parse_data<T: serde::de::DeserializeOwned>(yaml: &str) -> Vec<T> {
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("a data file does not parse: {e}"))
    }

    /// The site's own vocabularies, as `Vocabularies::load` reads them.
    fn site_rules() -> Rules {
        rules_from(&Vocabularies {
            themes: themes(),
            voices: voices(),
            topics: topics(),
            content_notes: content_notes(),
            glossary: glossary(),
        })
    }

    fn quote(speaker: Option<&str>, words: &str) -> ImportedFile {
        ImportedFile {
            path: PathBuf::from("quotes/adults/adults-001.md"),
            front_matter: FrontMatter::Quote(QuoteMeta {
                id: "adults-001".to_string(),
                speaker: speaker.map(str::to_string),
                voice: None,
                provenance: Provenance::Verbatim,
                attribution: None,
                summary: "adults".to_string(),
                section: "parents".to_string(),
                themes: Vec::new(),
                content_note: Vec::new(),
                aliases: Vec::new(),
                updated: None,
                privacy_reviewed: false,
                changes: Vec::new(),
                lint_allow: Vec::new(),
                draft: false,
            }),
            body: words.to_string(),
        }
    }

    fn section(title: &str, body: &str) -> ImportedFile {
        ImportedFile {
            path: PathBuf::from("summaries/workforce/01-working-in-the-system.md"),
            front_matter: FrontMatter::Section(SectionMeta {
                title: title.to_string(),
                weight: 1,
                themes: Vec::new(),
                content_note: Vec::new(),
                aliases: Vec::new(),
                updated: None,
                changes: Vec::new(),
                lint_allow: Vec::new(),
                draft: false,
            }),
            body: body.to_string(),
        }
    }

    fn idea(topics: &[&str], words: &str) -> ImportedFile {
        ImportedFile {
            path: PathBuf::from("ideas/0004.md"),
            front_matter: FrontMatter::Idea(ResponseMeta {
                number: 4,
                topics: topics.iter().map(|t| t.to_string()).collect(),
                respondent: None,
                anonymous: false,
                privacy_reviewed: false,
                ..ResponseMeta::default()
            }),
            body: words.to_string(),
        }
    }

    /// (voice, themes, content notes) of a classified file.
    fn labels(file: &ImportedFile) -> (Option<&str>, &[String], &[String]) {
        match &file.front_matter {
            FrontMatter::Quote(m) => (m.voice.as_deref(), &m.themes, &m.content_note),
            FrontMatter::Section(m) => (None, &m.themes, &m.content_note),
            FrontMatter::Idea(m) => (None, &m.themes, &m.content_note),
            FrontMatter::Summary(_) | FrontMatter::Page(_) => (None, &[], &[]),
        }
    }

    fn rules_with_theme(slug: &str, keywords: &[&str]) -> Rules {
        rules_from(&Vocabularies {
            themes: vec![Term {
                slug: slug.to_string(),
                name: slug.to_string(),
                description: None,
                keywords: keywords.iter().map(|k| k.to_string()).collect(),
                speakers: Vec::new(),
                variants: Vec::new(),
            }],
            ..Vocabularies::default()
        })
    }

    fn themes_of(rules: &Rules, words: &str) -> Vec<String> {
        let mut file = quote(None, words);
        classify(&mut file, rules);
        labels(&file).1.to_vec()
    }

    #[test]
    fn a_kinship_carer_quote_gets_the_kinship_carer_voice() {
        let rules = site_rules();
        let mut file = quote(
            Some("Kinship carer"),
            "Kinship is a spaghetti junction of issues",
        );
        assert_eq!(classify(&mut file, &rules), None);
        assert_eq!(labels(&file).0, Some("kinship-carer"));
        // Capitals and spaces in the attribution do not matter.
        let mut file = quote(Some("Social  worker - Practice leader"), "Words.");
        assert_eq!(classify(&mut file, &rules), None);
        assert_eq!(labels(&file).0, Some("social-worker"));
    }

    #[test]
    fn a_quote_without_a_speaker_gets_no_voice() {
        let mut file = quote(None, "Advocates as standard for every child");
        assert_eq!(classify(&mut file, &site_rules()), None);
        assert_eq!(labels(&file).0, None);
    }

    #[test]
    fn an_unknown_speaker_is_reported_and_gets_no_voice() {
        let mut file = quote(Some("Magistrate"), "Words.");
        let warning = classify(&mut file, &site_rules());
        assert_eq!(
            warning,
            Some(UnknownSpeaker {
                path: PathBuf::from("quotes/adults/adults-001.md"),
                speaker: "Magistrate".to_string(),
            })
        );
        assert_eq!(labels(&file).0, None);
        let message = warning.map(|w| w.to_string()).unwrap_or_default();
        assert!(message.starts_with("quotes/adults/adults-001.md: the speaker \"Magistrate\""));
    }

    #[test]
    fn a_passage_about_domestic_abuse_gets_the_note() {
        let mut file = quote(
            Some("Birth parent"),
            "I told them I\u{2019}ve gone from one domestic violence relationship to enter \
             another \u{2013} it\u{2019}s not physical but it\u{2019}s coercive behaviour.",
        );
        classify(&mut file, &site_rules());
        assert_eq!(labels(&file).2, ["domestic abuse"]);
        assert!(labels(&file).1.contains(&"domestic-abuse".to_string()));
        assert_eq!(labels(&file).0, Some("birth-parent"));
    }

    #[test]
    fn a_passage_about_child_removal_gets_the_note() {
        let mut file = quote(
            Some("Parent"),
            "I was very angry about when they removed my child at birth and he was whisked \
             away to SCBU",
        );
        classify(&mut file, &site_rules());
        assert_eq!(labels(&file).2, ["child removal"]);
    }

    #[test]
    fn a_policy_passage_gets_no_note() {
        let mut file = section(
            "Legal framework",
            "Professionals felt that there was an overuse of section 17s and section 47s, \
             that child protection plans and care proceedings should follow the Public Law \
             Outline, and called for Ofsted to remove the level cap for degree \
             apprenticeships.",
        );
        classify(&mut file, &site_rules());
        let (_, themes, notes) = labels(&file);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            themes,
            [
                "legislation",
                "regulation",
                "child-in-need-and-child-protection",
                "care-proceedings-and-pre-proceedings"
            ]
        );
    }

    #[test]
    fn an_idea_gets_the_themes_of_its_topics() {
        let mut file = idea(&["kinship-care", "other"], "Grandparents need help too.");
        classify(&mut file, &site_rules());
        // "other" is a topic but no theme; the words name no theme of their own.
        assert_eq!(labels(&file).1, ["kinship-care"]);
    }

    #[test]
    fn keywords_match_whole_words_only() {
        let rules = rules_with_theme("mental-health-support", &["CAMHS", "therapy"]);
        assert!(themes_of(&rules, "The XCAMHS pilot and physiotherapy.").is_empty());
        assert!(themes_of(&rules, "CAMHSTEAM").is_empty());
        assert_eq!(
            themes_of(&rules, "A CAMHS-led team."),
            ["mental-health-support"]
        );
        assert_eq!(themes_of(&rules, "(CAMHS)"), ["mental-health-support"]);
        assert_eq!(themes_of(&rules, "Therapy."), ["mental-health-support"]);
    }

    #[test]
    fn the_longer_of_two_overlapping_keywords_wins() {
        let rules = site_rules();
        assert_eq!(
            themes_of(&rules, "The Department for Education should act."),
            ["national-government"]
        );
        assert_eq!(
            themes_of(&rules, "The Department for Education and schools."),
            ["national-government", "education"]
        );
        // The same keyword in two themes counts for both.
        assert_eq!(
            themes_of(&rules, "An independent visitor."),
            ["workforce-other-services", "advocacy"]
        );
    }

    #[test]
    fn an_acronym_matches_only_in_capitals() {
        let rules = rules_with_theme("disability", &["SEND"]);
        assert!(themes_of(&rules, "They send letters.").is_empty());
        assert_eq!(themes_of(&rules, "Parents with SEND."), ["disability"]);
    }

    #[test]
    fn phrases_match_across_line_breaks_apostrophes_and_escapes() {
        let rules = rules_with_theme("children-in-care", &["children's homes"]);
        assert_eq!(
            themes_of(&rules, "small\n  children\u{2019}s\nhomes"),
            ["children-in-care"]
        );
        assert_eq!(
            themes_of(&rules, "children\u{b4}s homes"),
            ["children-in-care"]
        );
        let rules = rules_with_theme("self-harm", &["self-harm"]);
        assert_eq!(themes_of(&rules, "self\\-harm"), ["self-harm"]);
    }

    #[test]
    fn shortcodes_and_link_targets_are_not_words() {
        let rules = rules_with_theme("kinship-care", &["kinship"]);
        let mut file = section(
            "Help",
            "Text.\n\n{{ quote(id=\"kinship-care-003\") }}\n\nSee [this](@/summaries/kinship/01-a.md).",
        );
        classify(&mut file, &rules);
        assert!(labels(&file).1.is_empty());
    }

    #[test]
    fn existing_values_are_kept_in_vocabulary_order_without_duplicates() {
        let mut file = idea(&[], "Foster carers and the family court.");
        if let FrontMatter::Idea(meta) = &mut file.front_matter {
            meta.themes = vec![
                "care-proceedings-and-pre-proceedings".to_string(),
                "an-editors-theme".to_string(),
                "children-in-care".to_string(),
            ];
            meta.content_note = vec!["suicide".to_string()];
        }
        classify(&mut file, &site_rules());
        let (_, themes, notes) = labels(&file);
        assert_eq!(
            themes,
            [
                "children-in-care",
                "foster-care",
                "care-proceedings-and-pre-proceedings",
                "an-editors-theme"
            ]
        );
        assert_eq!(notes, ["suicide"]);
    }

    #[test]
    fn an_existing_voice_is_kept() {
        let mut file = quote(Some("Parent"), "Words.");
        if let FrontMatter::Quote(meta) = &mut file.front_matter {
            meta.voice = Some("birth-parent".to_string());
        }
        classify(&mut file, &site_rules());
        assert_eq!(labels(&file).0, Some("birth-parent"));
    }

    #[test]
    fn summaries_and_pages_are_left_alone() {
        let page = ImportedFile {
            path: PathBuf::from("news/2021-09.md"),
            front_matter: FrontMatter::Page(PageMeta {
                title: "Domestic abuse and kinship care".to_string(),
                description: None,
                date: None,
                weight: 0,
                template: None,
                aliases: Vec::new(),
                updated: None,
                changes: Vec::new(),
                lint_allow: Vec::new(),
                draft: false,
            }),
            body: "Children taken into care, foster carers and suicide.".to_string(),
        };
        let mut file = page.clone();
        assert_eq!(classify(&mut file, &site_rules()), None);
        assert_eq!(file, page);
    }

    /// The data files parse with the vocabulary's own types, slugs are unique, and the
    /// themes taken from the Call for Ideas' tags carry the topics' slugs and names.
    #[test]
    fn the_data_files_are_consistent() {
        let (themes, voices, topics) = (themes(), voices(), topics());
        assert_eq!((themes.len(), voices.len(), topics.len()), (26, 16, 20));
        assert_eq!((content_notes().len(), glossary().len()), (7, 93));
        for terms in [&themes, &voices, &topics] {
            let mut slugs: Vec<String> = terms.iter().map(|t| t.slug.to_lowercase()).collect();
            slugs.sort();
            slugs.dedup();
            assert_eq!(slugs.len(), terms.len());
        }
        let from_topics: Vec<(&str, &str)> = topics
            .iter()
            .filter(|t| t.slug != "workforce" && t.slug != "other")
            .map(|t| (t.slug.as_str(), t.name.as_str()))
            .collect();
        let first: Vec<(&str, &str)> = themes
            .iter()
            .take(from_topics.len())
            .map(|t| (t.slug.as_str(), t.name.as_str()))
            .collect();
        assert_eq!(first, from_topics);
        assert!(themes.iter().all(|t| !t.keywords.is_empty()));
        assert!(voices.iter().all(|v| !v.speakers.is_empty()));
        let mut speakers: Vec<String> = voices
            .iter()
            .flat_map(|v| v.speakers.iter().map(|s| fold_speaker(s)))
            .collect();
        let all = speakers.len();
        speakers.sort();
        speakers.dedup();
        assert_eq!(speakers.len(), all, "a speaker is listed under two voices");
    }

    /// Every attribution in the two engagement summaries belongs to a voice (counted in the
    /// engagement importer's tests: 64 quotes in workforce, 95 in adults, 10 of them from
    /// notes), and passages read for the content-note rules get the notes they describe.
    #[test]
    fn the_engagement_summaries_are_classified() {
        let rules = site_rules();
        for source in [
            include_str!("../sources/workforce.txt"),
            include_str!("../sources/adults.txt"),
        ] {
            for mut file in crate::engagement::parse(source) {
                assert_eq!(classify(&mut file, &rules), None);
                if let FrontMatter::Quote(meta) = &file.front_matter {
                    assert_eq!(meta.voice.is_some(), meta.speaker.is_some(), "{}", meta.id);
                }
            }
        }
        let adults = crate::engagement::parse(include_str!("../sources/adults.txt"));
        let notes_of = |start: &str| -> Vec<String> {
            let mut found: Vec<ImportedFile> = adults
                .iter()
                .filter(|f| matches!(f.front_matter, FrontMatter::Quote(_)))
                .filter(|f| {
                    f.body
                        .trim_start_matches(['"', '\'', '\u{201c}', '\u{2018}'])
                        .starts_with(start)
                })
                .cloned()
                .collect();
            assert_eq!(found.len(), 1, "{start}");
            classify(&mut found[0], &rules);
            labels(&found[0]).2.to_vec()
        };
        assert_eq!(
            notes_of("I couldn't leave the relationship"),
            ["domestic abuse"]
        );
        assert_eq!(
            notes_of("They're not tackling the perpetrator"),
            ["domestic abuse"]
        );
        assert_eq!(
            notes_of("In domestic violence relationship"),
            ["domestic abuse"]
        );
        assert_eq!(
            notes_of("I suffered child abuse growing up"),
            ["domestic abuse", "child abuse"]
        );
        assert_eq!(notes_of("I had the children removed"), ["child removal"]);
        assert_eq!(notes_of("Semi independence was by far"), ["child removal"]);
        assert_eq!(
            notes_of("This happened last year in lockdown"),
            ["child removal"]
        );
        assert_eq!(
            notes_of("I really don't like social services"),
            ["child removal"]
        );
        assert!(notes_of("There needs to be wrap around mental health").is_empty());
        assert!(notes_of("Staying Put needs looking at").is_empty());
    }
}
