/** Counters (placeholder of the app shell; the page itself comes with issue 13). */
export function Counters() {
  return (
    <section>
      <h1>Counters</h1>
    </section>
  );
}
