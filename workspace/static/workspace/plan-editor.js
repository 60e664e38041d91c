// The hall editor (workspace/plan_edit.html). Without this script the page still works: each
// stand is a link that selects it, the form posts and the page reloads. With it, stands are
// chosen by click or Tab and Enter, dragged with the mouse, moved with the arrow keys and
// resized with Shift and the arrow keys, all snapped to the grid; every change is posted to
// the same address (Accept: application/json) and the server's answer, or its refusal, is
// shown and announced. Undo takes back the changes of this page visit, last first.
(() => {
  const root = document.querySelector("[data-plan-editor]");
  if (!root) return;
  const NS = "http://www.w3.org/2000/svg";
  const svg = root.querySelector("[data-plan-svg]");
  const layer = svg.querySelector("[data-stands]");
  const form = root.querySelector("[data-plan-form]");
  const status = root.querySelector("[data-plan-status]");
  const errorBox = root.querySelector("[data-plan-error]");
  const errorText = root.querySelector("[data-plan-error-text]");
  const undoButton = root.querySelector("[data-plan-undo]");
  const newLink = root.querySelector("[data-plan-new]");
  const heading = root.querySelector("[data-plan-form-heading]");
  const GRID = parseFloat(root.dataset.grid);
  const HALL_W = parseFloat(root.dataset.hallWidth);
  const HALL_D = parseFloat(root.dataset.hallDepth);
  const FIELDS = ["label", "kind", "x_m", "y_m", "width_m", "depth_m", "price"];
  const FLAGS = ["has_power", "has_water", "blocked"];
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: 2,
  });
  const stands = new Map(
    JSON.parse(document.getElementById("plan-stands").textContent).map((s) => [s.id, s]),
  );
  const history = [];
  let selectedId = Number(form.elements.stand.value) || null;
  let queue = Promise.resolve();

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));
  const snap = (value) => Math.round(value / GRID) * GRID;
  const fixed = (value) => (Math.round(value * 100) / 100).toFixed(2);

  function announce(text) {
    status.textContent = text;
  }

  function showError(text) {
    errorText.textContent = text || "";
    errorBox.hidden = !text;
  }

  function stateClass(stand) {
    if (stand.blocked) return "stand--blocked";
    return stand.booked ? "stand--booked" : "stand--free";
  }

  function element(stand) {
    const link = document.createElementNS(NS, "a");
    link.setAttribute("href", `?stand=${stand.id}`);
    link.setAttribute(
      "class",
      `stand ${stateClass(stand)}${stand.id === selectedId ? " is-selected" : ""}`,
    );
    link.setAttribute("data-stand-id", stand.id);
    link.setAttribute(
      "aria-label",
      fill(root.dataset.msgStand, {
        label: stand.label,
        width: number.format(stand.width_m),
        depth: number.format(stand.depth_m),
        x: number.format(stand.x_m),
        y: number.format(stand.y_m),
      }),
    );
    const rect = document.createElementNS(NS, "rect");
    rect.setAttribute("class", "stand-shape");
    for (const [name, key] of [["x", "x_m"], ["y", "y_m"], ["width", "width_m"], ["height", "depth_m"]]) {
      rect.setAttribute(name, stand[key]);
    }
    const text = document.createElementNS(NS, "text");
    text.setAttribute("class", "stand-label");
    text.setAttribute("x", stand.x_m);
    text.setAttribute("y", stand.y_m);
    text.setAttribute("dx", "0.3");
    text.setAttribute("dy", "1.1");
    text.textContent = stand.label;
    link.append(rect, text);
    return link;
  }

  function render() {
    const focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-stand-id]")
      : null;
    const focusedId = focused && layer.contains(focused) ? Number(focused.dataset.standId) : null;
    const sorted = [...stands.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
    layer.replaceChildren(...sorted.map(element));
    if (focusedId !== null) {
      const again = layer.querySelector(`[data-stand-id="${focusedId}"]`);
      if (again) again.focus();
    }
  }

  function fillForm(stand) {
    form.elements.stand.value = stand ? stand.id : "";
    for (const name of FIELDS) {
      const field = form.elements[name];
      if (name === "kind") field.value = stand ? stand.kind : "row";
      else field.value = stand ? stand[name] : "";
    }
    for (const name of FLAGS) form.elements[name].checked = stand ? stand[name] : false;
    for (const button of form.querySelectorAll("[data-needs-stand]")) button.hidden = !stand;
    heading.textContent = stand ? heading.dataset.selected : heading.dataset.new;
  }

  function select(id, { quiet = false } = {}) {
    selectedId = id;
    const stand = id === null ? null : stands.get(id);
    fillForm(stand);
    render();
    if (stand && !quiet) announce(fill(root.dataset.msgSelected, { label: stand.label }));
  }

  function fieldsOf(stand) {
    const fields = { stand: stand.id || "" };
    for (const name of FIELDS) fields[name] = stand[name];
    for (const name of FLAGS) fields[name] = stand[name];
    return fields;
  }

  async function post(fields, action) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append("action", action);
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === "boolean") {
        if (value) body.append(name, "on");
      } else if (value !== null && value !== undefined) {
        body.append(name, value);
      }
    }
    const response = await fetch(root.dataset.url, {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({ detail: response.statusText }));
    if (!response.ok) throw data;
    return data;
  }

  // Changes are sent one after the other, so a fast run of arrow keys arrives in order.
  function enqueue(work) {
    queue = queue.then(work, work);
    return queue;
  }

  // `change` gives the new values from the stand as it is when its turn comes, so every
  // key press builds on the one before.
  function changeStand(id, change) {
    return enqueue(async () => {
      const before = stands.get(id);
      if (!before) return;
      const after = { ...before, ...change(before) };
      stands.set(id, after);
      render();
      try {
        const data = await post(fieldsOf(after), "save");
        stands.set(id, data.stand);
        history.push({ kind: "change", before });
        showError("");
        announce(data.detail);
      } catch (error) {
        stands.set(id, before);
        showError(error.detail);
      }
      if (selectedId === id) fillForm(stands.get(id));
      render();
    });
  }

  function remap(oldId, newId) {
    for (const entry of history) {
      if (entry.before && entry.before.id === oldId) entry.before = { ...entry.before, id: newId };
      if (entry.id === oldId) entry.id = newId;
    }
  }

  function undo() {
    return enqueue(async () => {
      const entry = history.pop();
      if (!entry) {
        announce(root.dataset.msgNothing);
        return;
      }
      try {
        if (entry.kind === "change") {
          const data = await post(fieldsOf(entry.before), "save");
          stands.set(entry.before.id, data.stand);
        } else if (entry.kind === "add") {
          await post(fieldsOf(stands.get(entry.id)), "delete");
          stands.delete(entry.id);
          if (selectedId === entry.id) selectedId = null;
        } else {
          const data = await post(fieldsOf({ ...entry.before, id: null }), "save");
          stands.set(data.stand.id, data.stand);
          remap(entry.before.id, data.stand.id);
        }
        showError("");
        announce(root.dataset.msgUndone);
      } catch (error) {
        history.push(entry);
        showError(error.detail);
      }
      fillForm(selectedId === null ? null : stands.get(selectedId));
      render();
    });
  }

  const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  layer.addEventListener("keydown", (event) => {
    const target = event.target.closest("[data-stand-id]");
    if (!target) return;
    const id = Number(target.dataset.standId);
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(id);
      return;
    }
    const arrow = ARROWS[event.key];
    if (!arrow) return;
    event.preventDefault();
    if (selectedId !== id) select(id, { quiet: true });
    const [dx, dy] = arrow;
    if (event.shiftKey) {
      changeStand(id, (stand) => ({
        width_m: fixed(Math.max(GRID, parseFloat(stand.width_m) + dx * GRID)),
        depth_m: fixed(Math.max(GRID, parseFloat(stand.depth_m) + dy * GRID)),
      }));
    } else {
      changeStand(id, (stand) => ({
        x_m: fixed(parseFloat(stand.x_m) + dx * GRID),
        y_m: fixed(parseFloat(stand.y_m) + dy * GRID),
      }));
    }
  });

  layer.addEventListener("click", (event) => {
    const target = event.target.closest("[data-stand-id]");
    if (!target) return;
    event.preventDefault();
    select(Number(target.dataset.standId));
  });

  function svgPoint(event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  layer.addEventListener("pointerdown", (event) => {
    const target = event.target.closest("[data-stand-id]");
    if (!target || event.button !== 0) return;
    const id = Number(target.dataset.standId);
    const stand = stands.get(id);
    const start = svgPoint(event);
    const origin = { x: parseFloat(stand.x_m), y: parseFloat(stand.y_m) };
    const width = parseFloat(stand.width_m);
    const depth = parseFloat(stand.depth_m);
    let place = origin;
    target.setPointerCapture(event.pointerId);
    target.classList.add("is-dragging");
    const move = (moveEvent) => {
      const now = svgPoint(moveEvent);
      place = {
        x: Math.min(Math.max(0, snap(origin.x + now.x - start.x)), HALL_W - width),
        y: Math.min(Math.max(0, snap(origin.y + now.y - start.y)), HALL_D - depth),
      };
      for (const child of target.children) {
        child.setAttribute("x", place.x);
        child.setAttribute("y", place.y);
      }
    };
    const up = () => {
      target.removeEventListener("pointermove", move);
      target.removeEventListener("pointerup", up);
      target.removeEventListener("pointercancel", up);
      target.classList.remove("is-dragging");
      if (place.x !== origin.x || place.y !== origin.y) {
        selectedId = id;
        changeStand(id, () => ({ x_m: fixed(place.x), y_m: fixed(place.y) }));
      }
    };
    target.addEventListener("pointermove", move);
    target.addEventListener("pointerup", up);
    target.addEventListener("pointercancel", up);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const action = (event.submitter && event.submitter.value) || "save";
    const fields = {};
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrfmiddlewaretoken") fields[name] = value;
    }
    for (const name of FLAGS) fields[name] = form.elements[name].checked;
    enqueue(async () => {
      const id = Number(fields.stand) || null;
      const before = id === null ? null : stands.get(id);
      try {
        const data = await post(fields, action);
        if (action === "delete") {
          stands.delete(id);
          history.push({ kind: "delete", before });
          selectedId = null;
        } else if (id === null) {
          stands.set(data.stand.id, data.stand);
          history.push({ kind: "add", id: data.stand.id });
          selectedId = data.stand.id;
        } else {
          stands.set(id, data.stand);
          history.push({ kind: "change", before });
        }
        showError("");
        announce(data.detail);
        fillForm(selectedId === null ? null : stands.get(selectedId));
        render();
      } catch (error) {
        showError(error.detail);
      }
    });
  });

  undoButton.hidden = false;
  undoButton.addEventListener("click", () => undo());
  root.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "z" && !event.target.closest("input, select, textarea")) {
      event.preventDefault();
      undo();
    }
  });
  newLink.addEventListener("click", (event) => {
    event.preventDefault();
    select(null);
    form.elements.label.focus();
  });
  render();
})();
