//! `results.parquet` (cargo feature `parquet`): the batch results table
//! ([`drillsim_engine::batch::table::Table`], the same columns and rows as
//! `results.csv`) in Apache Parquet, one row group, no compression.
//!
//! Column types: `run`, `point`, `replication`, `seed` as INT64 annotated unsigned
//! 64-bit; integer axes as INT64; numeric axes and metrics as DOUBLE (metrics optional:
//! an empty CSV cell is null); other axes as UTF-8 BYTE_ARRAY holding the value's
//! compact JSON text, as in the CSV. Written to a temporary sibling and renamed.

use std::sync::Arc;

use drillsim_engine::batch::table::{Cells, Table};
use parquet::basic::{ConvertedType, IntType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

fn field(name: &str, cells: &Cells) -> parquet::errors::Result<Type> {
    let b = match cells {
        Cells::UInt(_) => Type::primitive_type_builder(name, Physical::INT64)
            .with_logical_type(Some(LogicalType::Integer(IntType {
                bit_width: 64,
                is_signed: false,
            })))
            .with_converted_type(ConvertedType::UINT_64),
        Cells::Int(_) => Type::primitive_type_builder(name, Physical::INT64),
        Cells::Float(_) => Type::primitive_type_builder(name, Physical::DOUBLE),
        Cells::Text(_) => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
            .with_logical_type(Some(LogicalType::String))
            .with_converted_type(ConvertedType::UTF8),
    };
    let rep = if matches!(cells, Cells::Float(_)) {
        Repetition::OPTIONAL
    } else {
        Repetition::REQUIRED
    };
    b.with_repetition(rep).build()
}

/// The Parquet bytes of `table`.
pub fn to_bytes(table: &Table) -> Result<Vec<u8>, String> {
    let e = |e: parquet::errors::ParquetError| format!("results.parquet: {e}");
    let fields = table
        .columns
        .iter()
        .map(|c| field(&c.name, &c.cells).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()
        .map_err(e)?;
    let schema = Type::group_type_builder("drillsim_batch_results")
        .with_fields(fields)
        .build()
        .map_err(e)?;
    let props = WriterProperties::builder()
        .set_created_by(format!("drillsim {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut bytes = Vec::new();
    let mut writer =
        SerializedFileWriter::new(&mut bytes, Arc::new(schema), Arc::new(props)).map_err(e)?;
    let mut group = writer.next_row_group().map_err(e)?;
    let mut columns = table.columns.iter();
    while let Some(mut col) = group.next_column().map_err(e)? {
        let Some(c) = columns.next() else {
            return Err("results.parquet: more columns in the schema than the table".into());
        };
        match &c.cells {
            Cells::UInt(v) => {
                // Unsigned values are stored in INT64 bit for bit (Parquet format spec,
                // logical type INTEGER(64, false)).
                let x: Vec<i64> = v.iter().map(|&u| u.cast_signed()).collect();
                col.typed::<Int64Type>().write_batch(&x, None, None)
            }
            Cells::Int(v) => col.typed::<Int64Type>().write_batch(v, None, None),
            Cells::Float(v) => {
                let x: Vec<f64> = v.iter().flatten().copied().collect();
                let def: Vec<i16> = v.iter().map(|o| i16::from(o.is_some())).collect();
                col.typed::<DoubleType>().write_batch(&x, Some(&def), None)
            }
            Cells::Text(v) => {
                let x: Vec<ByteArray> = v.iter().map(|s| s.as_bytes().to_vec().into()).collect();
                col.typed::<ByteArrayType>().write_batch(&x, None, None)
            }
        }
        .map_err(e)?;
        col.close().map_err(e)?;
    }
    group.close().map_err(e)?;
    writer.close().map_err(e)?;
    Ok(bytes)
}
