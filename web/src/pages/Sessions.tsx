/** Sessions (placeholder of the app shell; the page itself comes with issue 13). */
export function Sessions() {
  return (
    <section>
      <h1>Sessions</h1>
    </section>
  );
}
