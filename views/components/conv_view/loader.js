// What Streamlit sends with every rerun: this loader (with message.js). The view's
// own code (the other files, ~33 kB) travels once per session, as the "code"
// section of the first message; later messages carry only its digest
// (header.code_digest). The code runs as a module imported once per page; if a
// page lacks it (Python thought it was sent), the loader asks for it (need_code).

const CODE = (globalThis.__convPlaygroundCode ??= {modules: new Map(), asked: null});

function codeModule(header, sections) {
  const digest = header.code_digest;
  let entry = CODE.modules.get(digest);
  if (!entry && sections.code) {
    const url = URL.createObjectURL(new Blob([sections.code], {type: "text/javascript"}));
    entry = {render: null};
    entry.promise = import(url).then((module) => {
      URL.revokeObjectURL(url);
      entry.render = module.default;
      return entry.render;
    });
    CODE.modules.set(digest, entry);
  }
  return entry;
}

export default function (component) {
  const {header, sections} = readMessage(component.data);
  const entry = codeModule(header, sections);
  if (!entry) {
    if (CODE.asked !== header.code_digest) component.setTriggerValue("need_code", header.code_digest);
    CODE.asked = header.code_digest;
    return undefined;
  }
  if (entry.render) return entry.render(component);
  let cleanup = null, gone = false;  // the first message: draw once the code is imported
  entry.promise.then((render) => { if (!gone) cleanup = render(component); });
  return () => {
    gone = true;
    if (cleanup) cleanup();
  };
}
