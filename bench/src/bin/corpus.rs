//! Writes a synthetic documentary edition for benchmarks, deterministically from a
//! seed: N documents with a Cyrillic original and a Latin translation (~1.5 KB each,
//! ~8 paragraphs), a register of P people with Latin and Cyrillic names whom the texts
//! mention 10-20 times per document (Russian forms declined), E events, footnotes,
//! editorial markup and page breaks. With `--hugo DIR` it also writes the same
//! documents as a Hugo site (YAML front matter, both texts in the body, taxonomies for
//! people and events, minimal layouts), so the two can be timed on the same input.
//!
//! Usage: corpus --out DIR [--documents 10000] [--people 300] [--events 100]
//!                [--seed 1956] [--hugo DIR]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// splitmix64: small, fast, and the same numbers on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ка", "ро", "ми", "ле", "на", "то", "ва", "ри", "со", "да", "пе", "ги", "бо", "лу", "ше", "ча",
    "зо", "ти", "му", "ре", "фе", "ху", "цы", "жа",
];
const ENDINGS: &[&str] = &["ов", "ин", "ев", "ян", "ук", "ко"];
const GIVEN: &[(&str, &str)] = &[
    ("Иван", "Ivan"),
    ("Пётр", "Pyotr"),
    ("Анна", "Anna"),
    ("Борис", "Boris"),
    ("Нина", "Nina"),
    ("Григорий", "Grigory"),
    ("Олег", "Oleg"),
    ("Вера", "Vera"),
];
const RU_WORDS: &[&str] = &[
    "сообщил",
    "товарищи",
    "вопрос",
    "решение",
    "пленум",
    "заседание",
    "делегация",
    "совет",
    "партия",
    "руководство",
    "беседа",
    "мнение",
    "предложение",
    "согласился",
    "заявил",
    "подготовить",
    "информацию",
    "положение",
    "ошибки",
    "исправить",
    "доверие",
    "методы",
];
const EN_WORDS: &[&str] = &[
    "reported",
    "comrades",
    "question",
    "decision",
    "plenum",
    "meeting",
    "delegation",
    "advice",
    "party",
    "leadership",
    "conversation",
    "opinion",
    "proposal",
    "agreed",
    "declared",
    "prepare",
    "information",
    "situation",
    "mistakes",
    "correct",
    "trust",
    "methods",
];
/// Russian case endings of surnames on -ов/-ин/-ев (genitive, dative, instrumental,
/// prepositional), to test recognition of declined forms.
const CASES: &[&str] = &["", "а", "у", "ым", "е"];

struct Person {
    id: String,
    surname_ru: String,
    surname_en: String,
    given_ru: &'static str,
    given_en: &'static str,
}

fn transliterate(ru: &str) -> String {
    let mut out = String::new();
    for c in ru.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let latin = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            'ь' | 'ъ' => "",
            _ => "",
        };
        if c.is_uppercase() {
            let mut chars = latin.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(latin);
        }
    }
    out
}

fn people(random: &mut Random, count: usize) -> Vec<Person> {
    let mut seen = std::collections::HashSet::new();
    let mut people = Vec::with_capacity(count);
    while people.len() < count {
        let syllables = 2 + random.below(2);
        let mut surname: String = (0..syllables).map(|_| *random.pick(SYLLABLES)).collect();
        let ending: &&str = random.pick(ENDINGS);
        surname.push_str(ending);
        let mut chars = surname.chars();
        let surname: String = chars.next().unwrap().to_uppercase().chain(chars).collect();
        if !seen.insert(surname.clone()) {
            continue;
        }
        let (given_ru, given_en) = *random.pick(GIVEN);
        let surname_en = transliterate(&surname);
        let id = format!("{}-{}", given_en.to_lowercase(), surname_en.to_lowercase());
        people.push(Person {
            id,
            surname_ru: surname,
            surname_en,
            given_ru,
            given_en,
        });
    }
    people
}

fn sentence(random: &mut Random, words: &[&str], length: usize) -> String {
    let mut s: String = (0..length)
        .map(|_| *random.pick(words))
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(first) = s.chars().next() {
        s.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    s.push('.');
    s
}

struct Document {
    id: String,
    date: String,
    title: String,
    people: Vec<usize>,
    events: Vec<usize>,
    ru: String,
    en: String,
}

fn document(random: &mut Random, n: usize, people: &[Person], events: usize) -> Document {
    let date = format!(
        "{}-{:02}-{:02}",
        1950 + random.below(11),
        1 + random.below(12),
        1 + random.below(28)
    );
    let cast: Vec<usize> = (0..6).map(|_| random.below(people.len())).collect();
    let mut ru = String::new();
    let mut en = String::new();
    let mut mentioned = Vec::new();
    let paragraphs = 8;
    for p in 0..paragraphs {
        if p == 3 {
            let _ = writeln!(ru, "{{pb {}}}\n", 2 + n % 40);
        }
        let (mut r, mut e) = (String::new(), String::new());
        // Two mentions a paragraph: 16 a document, declined in Russian.
        for _ in 0..2 {
            let person = &people[*random.pick(&cast)];
            mentioned.push(
                cast.iter()
                    .position(|&c| people[c].id == person.id)
                    .unwrap(),
            );
            let case = random.pick(CASES);
            let _ = write!(
                r,
                "{} т. {} {}{} {} ",
                sentence(random, RU_WORDS, 5),
                person.given_ru,
                person.surname_ru,
                case,
                sentence(random, RU_WORDS, 4)
            );
            let _ = write!(
                e,
                "{} Cde. {} {} {} ",
                sentence(random, EN_WORDS, 5),
                person.given_en,
                person.surname_en,
                sentence(random, EN_WORDS, 4)
            );
        }
        if p == 2 {
            r.push_str(&format!(
                "{{++{}++}} {{--{}--}} ",
                random.pick(RU_WORDS),
                random.pick(RU_WORDS)
            ));
            e.push_str("[handwritten: insertion] ");
        }
        if p == 5 {
            e.push_str("[^1]");
        }
        let _ = writeln!(ru, "{}\n", r.trim_end());
        let _ = writeln!(en, "{}\n", e.trim_end());
    }
    let _ = writeln!(en, "[^1]: Translator's note: the original is damaged here.");
    let mut in_front_matter: Vec<usize> = cast.clone();
    in_front_matter.sort();
    in_front_matter.dedup();
    let _ = mentioned;
    Document {
        id: format!("doc-{n:05}"),
        date,
        title: format!("Record of conversation no. {n}"),
        people: in_front_matter,
        events: (0..2).map(|_| random.below(events)).collect(),
        ru,
        en,
    }
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

fn main() {
    let mut out: Option<PathBuf> = None;
    let mut hugo: Option<PathBuf> = None;
    let (mut n, mut p, mut e, mut seed) = (10_000usize, 300usize, 100usize, 1956u64);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the option");
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value())),
            "--hugo" => hugo = Some(PathBuf::from(value())),
            "--documents" => n = value().parse().expect("a number"),
            "--people" => p = value().parse().expect("a number"),
            "--events" => e = value().parse().expect("a number"),
            "--seed" => seed = value().parse().expect("a number"),
            other => panic!("unknown option {other}; see the comment at the top of corpus.rs"),
        }
    }
    let out = out.expect("--out DIR");
    let mut random = Random(seed);
    let cast = people(&mut random, p);

    let content = out.join("content");
    write(
        &content.join("site.yaml"),
        "title: \"Synthetic edition\"\nbase_url: \"https://example.org/bench\"\nlanguage: \"en\"\nlanguages: [\"ru\", \"en\"]\n",
    );
    let mut register = String::new();
    for person in &cast {
        let _ = writeln!(
            register,
            "{}:\n  name: \"{} {}\"\n  sort_name: \"{}, {}\"\n  names: {{ en: \"{} {}\", ru: \"{} {}\" }}\n  aliases: [\"{}\", \"{}\", \"{} {}\"]\n  born: {}\n  roles:\n    - role: \"Official\"\n  description: \"A person of the synthetic edition.\"",
            person.id, person.given_en, person.surname_en, person.surname_en, person.given_en,
            person.given_en, person.surname_en, person.given_ru, person.surname_ru,
            person.surname_en, person.surname_ru, person.given_ru, person.surname_ru,
            1890 + random.below(30)
        );
    }
    write(&content.join("people.yaml"), &register);
    let mut events = String::new();
    for k in 0..e {
        let _ = writeln!(
            events,
            "event-{k:03}:\n  name: \"Conference number {k}\"\n  aliases: [\"конференция номер {k}\"]\n  date: {}-{:02}-{:02}\n  participants: [{}]",
            1950 + random.below(11),
            1 + random.below(12),
            1 + random.below(28),
            cast[random.below(cast.len())].id
        );
    }
    write(&content.join("events.yaml"), &events);
    write(&content.join("places.yaml"), "{}\n");
    write(&content.join("glossary.yaml"), "kwp:\n  term: \"KWP\"\n  expansion: { en: \"Korean Workers' Party\" }\n  aliases: [\"ТПК\"]\n");
    write(
        &content.join("pages/about.md"),
        "---\ntitle: \"About\"\n---\nA synthetic edition for benchmarks.\n",
    );

    if let Some(hugo) = &hugo {
        write(
            &hugo.join("hugo.toml"),
            "baseURL = \"https://example.org/bench/\"\ntitle = \"Synthetic edition\"\ndisableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\"]\n[taxonomies]\n  person = \"people\"\n  event = \"events\"\n",
        );
        let layouts = hugo.join("layouts/_default");
        write(&layouts.join("baseof.html"), "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><nav><a href=\"/\">Home</a></nav><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n");
        write(&layouts.join("single.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format \"2006-01-02\" }}</p><ul>{{ range .GetTerms \"people\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ .Content }}{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">prev</a>{{ end }}{{ end }}\n");
        write(&layouts.join("list.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n");
        write(&layouts.join("terms.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n");
        write(&layouts.join("term.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n");
    }

    for k in 1..=n {
        let d = document(&mut random, k, &cast, e);
        let people_ids: Vec<&str> = d.people.iter().map(|&i| cast[i].id.as_str()).collect();
        let event_ids: Vec<String> = d.events.iter().map(|k| format!("event-{k:03}")).collect();
        let bundle = content.join("documents").join(&d.id);
        write(
            &bundle.join("index.md"),
            &format!(
                "---\ntitle: \"{}\"\ndate: {}\ntype: \"record of conversation\"\noriginal_language: \"ru\"\narchive: {{ repository: \"Synthetic Archive\", fond: 1, opis: 2, delo: {k} }}\ntranslators: {{ en: \"A. Translator\" }}\nevents: [{}]\ntags: [\"tag-{}\"]\n---\nA synthetic headnote for document {k}.\n",
                d.title, d.date, event_ids.join(", "), k % 20
            ),
        );
        write(&bundle.join("ru.md"), &d.ru);
        write(&bundle.join("en.md"), &d.en);
        if let Some(hugo) = &hugo {
            write(
                &hugo.join("content/documents").join(format!("{}.md", d.id)),
                &format!(
                    "---\ntitle: \"{}\"\ndate: {}\npeople: [{}]\nevents: [{}]\n---\n{}\n\n{}\n",
                    d.title,
                    d.date,
                    people_ids.join(", "),
                    event_ids.join(", "),
                    d.ru,
                    d.en
                ),
            );
        }
    }
    eprintln!(
        "wrote {n} documents, {p} people, {e} events to {}",
        out.display()
    );
}
