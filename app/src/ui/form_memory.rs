//! What was typed in a form survives a failed plain post.
//!
//! Pages hydrate only their islands, so most forms are sent as plain posts: the server answers a
//! failure by sending the browser back to the page with the error in the address
//! (`?__path=…&__err=…`), and the page arrives with the form empty. In the browser, a form
//! being posted is remembered for that moment (the tab's `sessionStorage`, never passwords,
//! hidden or file fields), and put back when the page that arrives reports that very form's
//! failure. Anything else (success, another page) forgets it.

use super::params::{page_query, query_pairs};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{
    Element, Event, HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement,
};

const STORAGE_KEY: &str = "aula-posted-form";

/// Puts back a failed form's fields, then remembers each form posted from this page.
pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    restore(&window);
    // On the window, as the event bubbles: a form that an island sends itself has already
    // stopped the post (`default_prevented`) and is left alone.
    let listener = Closure::<dyn Fn(Event)>::new(|event: Event| {
        if event.default_prevented() {
            return;
        }
        if let Some(form) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlFormElement>().ok())
        {
            remember(&form);
        }
    });
    let _ = window.add_event_listener_with_callback("submit", listener.as_ref().unchecked_ref());
    // Lives as long as the page.
    listener.forget();
}

/// A form is told apart by its action and its place among the page's forms with that action.
fn form_key(form: &HtmlFormElement) -> Option<(String, usize)> {
    let action = form.get_attribute("action")?;
    let document = web_sys::window()?.document()?;
    let forms = document.forms();
    let index = (0..forms.length())
        .filter_map(|i| forms.item(i))
        .filter(|other| other.get_attribute("action").as_deref() == Some(action.as_str()))
        .position(|other| other == ***form)?;
    Some((action, index))
}

fn remember(form: &HtmlFormElement) {
    if !form.method().eq_ignore_ascii_case("post") {
        return;
    }
    let Some((action, index)) = form_key(form) else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let fields = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields(form).filter_map(|field| field.posted()))
        .finish();
    if let Ok(Some(storage)) = window.session_storage() {
        let _ = storage.set_item(STORAGE_KEY, &format!("{action}\n{index}\n{path}\n{fields}"));
    }
}

fn restore(window: &web_sys::Window) {
    let Ok(Some(storage)) = window.session_storage() else {
        return;
    };
    let Ok(Some(saved)) = storage.get_item(STORAGE_KEY) else {
        return;
    };
    let _ = storage.remove_item(STORAGE_KEY);
    let mut lines = saved.splitn(4, '\n');
    let (Some(action), Some(index), Some(path), Some(saved_fields)) =
        (lines.next(), lines.next(), lines.next(), lines.next())
    else {
        return;
    };
    let failed_here = page_query("__err").is_some()
        && page_query("__path").as_deref() == Some(action)
        && window.location().pathname().ok().as_deref() == Some(path);
    if !failed_here {
        return;
    }
    let Some(document) = window.document() else {
        return;
    };
    let forms = document.forms();
    let form = (0..forms.length())
        .filter_map(|i| forms.item(i))
        .filter(|form| form.get_attribute("action").as_deref() == Some(action))
        .nth(index.parse().unwrap_or(usize::MAX))
        .and_then(|form| form.dyn_into::<HtmlFormElement>().ok());
    let Some(form) = form else {
        return;
    };
    let posted = query_pairs(saved_fields);
    // The n-th field of a name takes the n-th value posted under it.
    let mut seen: Vec<(String, usize)> = Vec::new();
    for field in fields(&form) {
        field.put_back(&posted, &mut seen);
    }
}

/// A field that can be remembered.
enum Field {
    Input(HtmlInputElement),
    Choice(HtmlInputElement),
    Text(HtmlTextAreaElement),
    Select(HtmlSelectElement),
}

fn fields(form: &HtmlFormElement) -> impl Iterator<Item = Field> {
    let elements = form.elements();
    (0..elements.length())
        .filter_map(move |i| elements.item(i))
        .filter_map(|element: Element| {
            let element = match element.dyn_into::<HtmlInputElement>() {
                Ok(input) => {
                    return match input.type_().as_str() {
                        "password" | "hidden" | "file" | "submit" | "button" | "reset"
                        | "image" => None,
                        "checkbox" | "radio" => Some(Field::Choice(input)),
                        _ => Some(Field::Input(input)),
                    };
                }
                Err(element) => element,
            };
            let element = match element.dyn_into::<HtmlTextAreaElement>() {
                Ok(text) => return Some(Field::Text(text)),
                Err(element) => element,
            };
            element
                .dyn_into::<HtmlSelectElement>()
                .ok()
                .map(Field::Select)
        })
}

impl Field {
    fn name(&self) -> String {
        match self {
            Field::Input(input) | Field::Choice(input) => input.name(),
            Field::Text(text) => text.name(),
            Field::Select(select) => select.name(),
        }
    }

    /// The pair the browser posts for the field, if any.
    fn posted(&self) -> Option<(String, String)> {
        let name = self.name();
        if name.is_empty() {
            return None;
        }
        let value = match self {
            Field::Choice(input) if !input.checked() => return None,
            Field::Input(input) | Field::Choice(input) => input.value(),
            Field::Text(text) => text.value(),
            Field::Select(select) => select.value(),
        };
        Some((name, value))
    }

    fn put_back(&self, posted: &[(String, String)], seen: &mut Vec<(String, usize)>) {
        let name = self.name();
        if name.is_empty() {
            return;
        }
        if let Field::Choice(input) = self {
            let value = input.value();
            input.set_checked(posted.iter().any(|(n, v)| *n == name && *v == value));
            return;
        }
        let nth = match seen.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => {
                *count += 1;
                *count - 1
            }
            None => {
                seen.push((name.clone(), 1));
                0
            }
        };
        let Some(value) = posted
            .iter()
            .filter(|(n, _)| *n == name)
            .nth(nth)
            .map(|(_, v)| v.as_str())
        else {
            return;
        };
        match self {
            Field::Input(input) => input.set_value(value),
            Field::Text(text) => text.set_value(value),
            Field::Select(select) => select.set_value(value),
            Field::Choice(_) => {}
        }
    }
}
