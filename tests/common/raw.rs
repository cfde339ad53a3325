//! Raw SQL on a server's database beside its store, whichever store it is: what a test
//! writes behind the store's back or reads to see what the store did.

/// Raw SQL on the server's database, whichever store it is.
pub enum Raw {
    Lite(rusqlite::Connection),
    Pg(tokio_postgres::Client),
}

impl Raw {
    pub async fn exec(&self, sql: &str) {
        match self {
            Raw::Lite(c) => c.execute_batch(sql).unwrap(),
            Raw::Pg(c) => c.batch_execute(sql).await.unwrap(),
        }
    }

    /// The rows of a query of text columns, each row its columns joined by `|`.
    pub async fn rows(&self, sql: &str) -> Vec<String> {
        match self {
            Raw::Lite(c) => {
                let mut stmt = c.prepare(sql).unwrap();
                let n = stmt.column_count();
                stmt.query_map([], |r| {
                    Ok((0..n)
                        .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
                        .collect::<Result<Vec<_>, _>>()?
                        .join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect()
            }
            Raw::Pg(c) => c
                .query(sql, &[])
                .await
                .unwrap()
                .iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| r.get::<_, Option<String>>(i).unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect(),
        }
    }
}
