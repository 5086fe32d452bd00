/** One Workflow (placeholder of the app shell; the page itself comes with issue 13). */
export function WorkflowDetail({ id }: { id: string }) {
  return (
    <section>
      <h1>Workflow {id}</h1>
    </section>
  );
}
