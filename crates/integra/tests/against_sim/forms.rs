//! The disposition tree through forms/FormGet.

use integra::{Campaign, DispositionRow, Error};

use crate::support::*;

#[tokio::test]
async fn disposition_rows_run_the_fixed_select_for_the_campaign() {
    let (sim, client, token) = signed_in().await;
    let rows = client
        .disposition_rows(&Campaign::new("Cobranzas->"), "Repo")
        .await
        .unwrap();
    let entry = only_request(&sim, "forms/FormGet");
    assert_token(&entry, &token);
    assert_eq!(
        fields(&entry),
        [
            (
                "query",
                "SELECT value1,value2,value3 FROM dispositions WHERE campaign = 'Cobranzas->'"
            ),
            ("dsn", "Repo")
        ]
    );
    let row = |a: &str, b: &str, c: &str| DispositionRow {
        value1: a.into(),
        value2: b.into(),
        value3: c.into(),
    };
    assert_eq!(
        rows,
        [
            row("Contactado", "Promesa de pago", "Esta semana"),
            row("Contactado", "Promesa de pago", "Este mes"),
            row("Contactado", "Se niega", ""),
            row("No contactado", "Número equivocado", ""),
        ]
    );
}

#[tokio::test]
async fn campaign_names_that_could_change_the_query_are_refused() {
    let (sim, client, _) = signed_in().await;
    for name in ["x' OR '1'='1", "Ventas->'; DELETE FROM dispositions; --"] {
        let err = client
            .disposition_rows(&Campaign::new(name), "Repo")
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidInput {
                    field: "campaign",
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert!(sim.journal().is_empty(), "nothing was sent");
}
