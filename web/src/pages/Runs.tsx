/** Runs (placeholder of the app shell; the page itself comes with issue 13). */
export function Runs() {
  return (
    <section>
      <h1>Runs</h1>
    </section>
  );
}
