// Live sum of the plan values and how far it is from the target.
(function () {
  const form = document.getElementById("plan-form");
  if (!form) return;
  const target = parseFloat(form.dataset.target);
  const gapEl = document.getElementById("plan-gap");
  const sumEl = document.getElementById("plan-sum");
  function parse(text) {
    text = (text || "").replace(/,/g, "").trim();
    if (!text) return 0;
    let mult = 1;
    if (text.endsWith("万")) { mult = 1e4; text = text.slice(0, -1); }
    else if (text.endsWith("亿")) { mult = 1e8; text = text.slice(0, -1); }
    const n = parseFloat(text);
    return isNaN(n) ? 0 : n * mult;
  }
  function update() {
    let sum = 0;
    form.querySelectorAll(".plan-value").forEach((el) => { sum += parse(el.value); });
    const gap = Math.round((sum - target) * 100) / 100;
    sumEl.textContent = sum.toLocaleString(undefined, { maximumFractionDigits: 2 });
    if (Math.abs(gap) < 0.005) { gapEl.textContent = gapEl.dataset.labelOk; gapEl.className = "plan-gap good"; }
    else {
      gapEl.textContent = (gap > 0 ? gapEl.dataset.labelOver : gapEl.dataset.labelUnder) + " " +
        Math.abs(gap).toLocaleString(undefined, { maximumFractionDigits: 2 });
      gapEl.className = "plan-gap bad";
    }
  }
  form.addEventListener("input", (e) => { if (e.target.classList.contains("plan-value")) update(); });
})();
