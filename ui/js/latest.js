// A view fed both by events and by answers to the window's own questions. The two travel apart (an event is a
// script the app evaluates, an answer comes back through the IPC protocol), so an answer read before a change can
// arrive after that change's event and put the old state back. Every change is also an event, so the rule is: an
// answer is shown only when no event arrived while it was on its way.
export function latest(render) {
  let heard = 0;
  return {
    event(value) {
      heard += 1;
      render(value);
    },
    // `ask` starts the request and `pick` takes the view out of its value; the answer is returned either way.
    async answer(ask, pick = (value) => value) {
      const before = heard;
      const result = await ask();
      if (result.ok && heard === before) render(pick(result.value));
      return result;
    },
  };
}
