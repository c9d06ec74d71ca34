// SPT form pickers (CSP forbids inline scripts): add/reorder/remove members, fill destination regions.
(() => {
  const clearResults = (id) => {
    const box = document.getElementById(id);
    if (box) box.replaceChildren();
  };

  const addMember = (button) => {
    const list = document.getElementById("member-list");
    const template = document.getElementById("member-row-template");
    if (!list || !template) return;
    const id = button.dataset.pickEmployee;
    const already = list.querySelector(`input[name="members"][value="${CSS.escape(id)}"]`);
    if (!already) {
      const row = template.content.firstElementChild.cloneNode(true);
      row.querySelector('input[name="members"]').value = id;
      row.querySelector("[data-member-label]").textContent = button.dataset.label;
      list.appendChild(row);
    }
    const search = document.getElementById("member-search");
    if (search) {
      search.value = "";
      search.focus();
    }
    clearResults("member-results");
  };

  const pickRegion = (button) => {
    const slot = button.dataset.slot;
    const input = document.getElementById(`dest-region-${slot}`);
    const label = document.getElementById(`dest-label-${slot}`);
    if (input) input.value = button.dataset.pickRegion;
    if (label) label.textContent = button.dataset.label;
    const search = document.getElementById(`dest-search-${slot}`);
    if (search) search.value = "";
    clearResults(`dest-results-${slot}`);
  };

  document.addEventListener("click", (event) => {
    const target = event.target;
    const employee = target.closest("[data-pick-employee]");
    if (employee) {
      addMember(employee);
      return;
    }
    const region = target.closest("[data-pick-region]");
    if (region) {
      pickRegion(region);
      return;
    }
    const remove = target.closest("[data-remove-row]");
    if (remove) {
      remove.closest("[data-member-row]")?.remove();
      return;
    }
    const up = target.closest("[data-move-up]");
    if (up) {
      const row = up.closest("[data-member-row]");
      const previous = row?.previousElementSibling;
      if (row && previous) row.parentElement.insertBefore(row, previous);
      return;
    }
    const clear = target.closest("[data-clear-region]");
    if (clear) {
      const slot = clear.dataset.clearRegion;
      const input = document.getElementById(`dest-region-${slot}`);
      const label = document.getElementById(`dest-label-${slot}`);
      if (input) input.value = "";
      if (label) label.textContent = "";
    }
  });

  // Enter in a picker's search box must not submit the SPT form.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches('input[type="search"][hx-get]')) {
      event.preventDefault();
    }
  });
})();
