// The years: a range (from, to) that filters what is drawn, and a play button that
// grows the network year by year.
import { $ } from "./dom.js";

export function timeControls(data, state, refresh) {
  const box = $("time");
  if (!box || !data.years) return null;
  const [lo, hi] = data.years;
  const from = $("year-from"), to = $("year-to"), label = $("year-label"), play = $("play");
  box.hidden = false;
  for (const r of [from, to]) Object.assign(r, { min: lo, max: hi, step: 1 });
  from.value = lo;
  to.value = hi;
  const apply = (draw = true) => {
    let a = +from.value, b = +to.value;
    if (a > b) [a, b] = [b, a];
    const all = a === lo && b === hi;
    state.from = all ? null : a;
    state.to = all ? null : b;
    label.textContent = all ? `all years (${lo}–${hi})` : `${a}–${b}`;
    if (draw) refresh();
  };
  from.addEventListener("input", () => apply());
  to.addEventListener("input", () => apply());
  let timer = null;
  const stop = () => { clearInterval(timer); timer = null; play.textContent = "▶ play"; };
  play.addEventListener("click", () => {
    if (timer) return stop();
    from.value = lo;
    to.value = lo;
    apply();
    play.textContent = "❚❚ pause";
    timer = setInterval(() => {
      if (+to.value >= hi) return stop();
      to.value = +to.value + 1;
      apply();
    }, 700);
  });
  apply(false); // sigma has drawn everything already
  return { set(a, b) { from.value = a; to.value = b; apply(); } };
}
