"""Every Keras code block of the course's Keras slides (shared/seeds, "MULTIPERCEPTRON /
TENSORFLOW / KERAS"), with only its imports changed: keras.models / keras.layers /
keras.callbacks / keras.regularizers -> nn, keras.optimizers -> optim. Each test runs
one block (on the bundled Iris where the slide loads data) and checks what the slide
says it shows."""

from __future__ import annotations

import numpy as np
import pytest

import nn

sklearn = pytest.importorskip("sklearn")
from sklearn import metrics, preprocessing  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_names_and_seed():
    nn.clear_session()             # automatic names start again at "dense", as in a new notebook
    nn.set_random_seed(0)


def cargar_datos():
    """The slides' loader: Iris features and class names as strings."""
    X, y, _, class_names = nn.data.load_iris(return_names=True)
    return X, np.asarray(class_names)[y]


def summary_rows(model, capsys):
    model.summary()
    text = capsys.readouterr().out
    rows = [line.strip("│ ").split("│") for line in text.splitlines() if line.startswith("│")]
    cells = [[c.strip() for c in row] for row in rows]
    totals = [line for line in text.splitlines() if "params:" in line]
    return cells, totals, text


def test_construccion_del_modelo(capsys):
    from nn import Dense, Input, Sequential

    model = Sequential()
    model.add(Input(shape=[4]))
    model.add(Dense(2, activation='tanh'))
    model.add(Dense(3, activation='sigmoid'))
    model.summary()
    text = capsys.readouterr().out
    cells, totals, _ = summary_rows(model, capsys)
    assert cells == [["dense (Dense)", "(None, 2)", "10"], ["dense_1 (Dense)", "(None, 3)", "9"]]
    assert [t.split(":")[1].split("(")[0].strip() for t in totals] == ["19", "19", "0"]
    assert text.startswith('Model: "sequential"')


def test_configuracion_sgd_mse():
    from nn import Dense, Sequential

    model = Sequential()
    model.add(Dense(2, input_shape=[4], activation='tanh'))
    model.add(Dense(3, activation='sigmoid'))
    model.compile(optimizer='sgd', loss='mse', metrics=['accuracy'])

    assert model.optimizer.learning_rate == pytest.approx(0.01)      # Keras's SGD default
    X, T = cargar_datos()
    T = preprocessing.LabelBinarizer().fit_transform(T)
    history = model.fit(X, T, epochs=5, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_configuracion_sgd_binary_crossentropy():
    from nn import Dense, Sequential
    from optim import SGD

    model = Sequential()
    model.add(Dense(2, input_shape=[4], activation='tanh'))
    model.add(Dense(3, activation='sigmoid'))
    model.compile(optimizer=SGD(learning_rate=0.1), loss='binary_crossentropy',
                  metrics=['accuracy'])

    X, T = cargar_datos()
    T = preprocessing.LabelBinarizer().fit_transform(T)
    history = model.fit(X, T, epochs=30, batch_size=20, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    Y = model.predict(X, verbose=0)
    assert Y.shape == T.shape and ((Y > 0) & (Y < 1)).all()          # sigmoid outputs


def test_configuracion_softmax_categorical_crossentropy():
    from nn import Dense, Sequential
    from optim import SGD

    model = Sequential()
    model.add(Dense(2, input_shape=[4], activation='tanh'))
    model.add(Dense(3, activation='softmax'))
    model.compile(optimizer=SGD(learning_rate=0.1), loss='categorical_crossentropy',
                  metrics=['accuracy'])

    X, T = cargar_datos()
    T = preprocessing.LabelBinarizer().fit_transform(T)
    model.fit(X, T, epochs=60, batch_size=20, verbose=0)
    Y = model.predict(X, verbose=0)
    np.testing.assert_allclose(Y.sum(axis=1), 1.0, rtol=1e-5)
    assert np.mean(Y.argmax(1) == T.argmax(1)) > 0.6


def _iris_model():
    from nn import Dense, Sequential
    from optim import SGD
    model = Sequential()
    model.add(Dense(2, input_shape=[4], activation='tanh'))
    model.add(Dense(3, activation='softmax'))
    model.compile(optimizer=SGD(learning_rate=0.1), loss='categorical_crossentropy',
                  metrics=['accuracy'])
    return model


def test_carga_de_datos():
    X, T = cargar_datos()
    binarizer = preprocessing.LabelBinarizer()
    T = binarizer.fit_transform(T)
    assert X.shape == (150, 4) and T.shape == (150, 3)
    assert set(T.sum(axis=1)) == {1}


def test_entrenamiento_prediccion_y_error(capsys):
    model = _iris_model()
    X, T = cargar_datos()    # X y T son matrices de numpy
    T = preprocessing.LabelBinarizer().fit_transform(T)
    untrained = model.evaluate(X, T, verbose=0)[0]
    # Entrenar el modelo
    model.fit(X, T, epochs=100)
    model.fit(X, T, epochs=100, batch_size=20)
    # predecir la salida del modelo
    Y = model.predict(X)
    # Calcular el error del modelo
    score = model.evaluate(X, T)
    print('Error :', score[0])
    print('Accuracy:', score[1])

    out = capsys.readouterr().out
    assert "Epoch 100/100" in out and "Error :" in out and "Accuracy:" in out
    assert Y.shape == T.shape                              # "Y tiene las mismas dimensiones que T"
    assert score[1] == pytest.approx(np.mean(Y.argmax(1) == T.argmax(1)))
    assert score[0] < untrained and score[1] > 0.6       # 2 tanh units, raw features


def test_metricas_accuracy_score():
    model = _iris_model()
    X, T = cargar_datos()
    binarizer = preprocessing.LabelBinarizer()
    T = binarizer.fit_transform(T)
    X_train, T_train = X, T
    # Entrenar el modelo
    model.fit(X_train, T_train, epochs=100, verbose=0)
    # predecir la salida del modelo
    Y = model.predict(X_train, verbose=0)
    # "invierte" la transformacion binaria
    T_str = binarizer.inverse_transform(T_train)
    Y_str = binarizer.inverse_transform(Y)
    print("%% aciertos : %.3f" % metrics.accuracy_score(T_str, Y_str))  # noqa: UP031

    assert set(Y_str) <= {"setosa", "versicolor", "virginica"}
    assert metrics.accuracy_score(T_str, Y_str) == pytest.approx(
        model.evaluate(X_train, T_train, verbose=0)[1])


def test_pesos_de_la_red():
    model = _iris_model()
    X, T = cargar_datos()
    model.fit(X, preprocessing.LabelBinarizer().fit_transform(T), epochs=2, verbose=0)
    capaOculto = model.layers[0]
    W1, b1 = capaOculto.get_weights()
    capaSalida = model.layers[1]
    W2, b2 = capaSalida.get_weights()

    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((4, 2), (2,), (2, 3), (3,))
    Y = model.predict(X, verbose=0)                         # the weights are the model
    H = np.tanh(X @ W1 + b1)
    Z = H @ W2 + b2
    expected = np.exp(Z - Z.max(1, keepdims=True))
    np.testing.assert_allclose(Y, expected / expected.sum(1, keepdims=True), rtol=1e-5)


def test_salvar_y_cargar_el_modelo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    X, T = cargar_datos()
    T = preprocessing.LabelBinarizer().fit_transform(T)
    model = _iris_model()
    model.fit(X, T, epochs=3, verbose=0)
    # OPCION 1: guarda todo el modelo
    model.save("miModelo")
    # OPCION 2: guarda sólo los pesos
    model.save_weights("pesos_de_miModelo")
    expected = model.predict(X, verbose=0)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["miModelo", "pesos_de_miModelo"]

    # OPCION 1 - Carga el modelo completo
    from nn import load_model
    model = load_model("miModelo")
    np.testing.assert_array_equal(model.predict(X, verbose=0), expected)

    # OPCION 2 - Cargar sólo los pesos: definir el modelo (new automatic names) y cargar
    model = _iris_model()
    model.load_weights("pesos_de_miModelo")
    np.testing.assert_array_equal(model.predict(X, verbose=0), expected)


def test_activacion_por_separado(capsys):
    from nn import Activation, Dense, Input, Sequential

    model = Sequential()
    model.add(Input(shape=[4]))
    model.add(Dense(2))
    model.add(Activation('tanh'))
    model.add(Dense(3))
    model.add(Activation('sigmoid'))
    model.summary()

    capsys.readouterr()
    cells, totals, text = summary_rows(model, capsys)
    assert text.startswith('Model: "sequential"')
    assert cells == [["dense (Dense)", "(None, 2)", "10"],
                     ["activation (Activation)", "(None, 2)", "0"],
                     ["dense_1 (Dense)", "(None, 3)", "9"],
                     ["activation_1 (Activation)", "(None, 3)", "0"]]
    assert "Total params: 19 " in totals[0]


def test_usando_una_lista(capsys):
    from nn import Dense, Input, Sequential

    model = Sequential([
        Input(shape=[4]),
        Dense(2, activation='tanh', name='Oculto'),
        Dense(3, activation='sigmoid', name='salida')])
    model.summary()

    capsys.readouterr()
    cells, totals, _ = summary_rows(model, capsys)
    assert cells == [["Oculto (Dense)", "(None, 2)", "10"], ["salida (Dense)", "(None, 3)", "9"]]
    assert [t.split(":")[1].split("(")[0].strip() for t in totals] == ["19", "19", "0"]


def test_usando_una_lista_con_activaciones(capsys):
    from nn import Activation, Dense, Input, Sequential

    model = Sequential([
        Input(shape=[4]),
        Dense(2, name='Oculto'),
        Activation('tanh', name='FunH'),
        Dense(3, name='salida'),
        Activation('sigmoid', name='FunO')])

    model.summary()
    capsys.readouterr()
    cells, totals, _ = summary_rows(model, capsys)
    assert [c[0] for c in cells] == ["Oculto (Dense)", "FunH (Activation)", "salida (Dense)",
                                     "FunO (Activation)"]
    assert [c[2] for c in cells] == ["10", "0", "9", "0"]
    assert "Total params: 19 " in totals[0]


def test_funcional(capsys):
    from nn import Dense, Input, Model

    I = Input(shape=(4,), name='Entrada')
    L = Dense(units=2, activation='tanh', name='Oculto')(I)
    salida = Dense(units=3, activation='sigmoid', name='salida')(L)
    model = Model(inputs=I, outputs = salida)
    model.summary()

    capsys.readouterr()
    cells, totals, _ = summary_rows(model, capsys)
    assert cells == [["Entrada (InputLayer)", "(None, 4)", "0"],
                     ["Oculto (Dense)", "(None, 2)", "10"], ["salida (Dense)", "(None, 3)", "9"]]
    assert "Total params: 19 " in totals[0]
    X, T = cargar_datos()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    T = preprocessing.LabelBinarizer().fit_transform(T)
    assert model.fit(X, T, epochs=2, verbose=0).history["loss"][1] < np.inf


def test_funcional_con_activaciones(capsys):
    from nn import Activation, Dense, Input, Model

    I = Input(shape=(4,), name='entrada')
    L = Dense(units=2, name='Oculata')(I)
    L = Activation('tanh', name='FunH')(L)
    L = Dense(units=3, name='salida')(L)
    Salida = Activation('sigmoid', name='FunO')(L)
    # The slide passes `outputs = salida`, a NameError in Python (and so in Keras):
    # the variable is `Salida`. That one letter is the only change.
    model = Model(inputs=I, outputs = Salida)
    model.summary()

    capsys.readouterr()
    cells, totals, _ = summary_rows(model, capsys)
    assert [c[0] for c in cells] == ["entrada (InputLayer)", "Oculata (Dense)",
                                     "FunH (Activation)", "salida (Dense)", "FunO (Activation)"]
    assert [c[2] for c in cells] == ["0", "10", "0", "9", "0"]
    assert "Total params: 19 " in totals[0]


def test_definiendo_capas(capsys):
    from nn import Dense, Input, Model

    I = Input(shape=(4,), name='entrada')
    oculta = Dense(units=2, activation='tanh', name='Oculto')
    salida = Dense(units=3, activation='sigmoid', name='salida')
    red = salida(oculta(I))
    model = Model(inputs=I, outputs = red)
    model.summary()

    capsys.readouterr()
    cells, _, _ = summary_rows(model, capsys)
    assert cells == [["entrada (InputLayer)", "(None, 4)", "0"],
                     ["Oculto (Dense)", "(None, 2)", "10"], ["salida (Dense)", "(None, 3)", "9"]]
    assert model.layers[1] is oculta and model.layers[2] is salida
    X, _ = cargar_datos()
    np.testing.assert_allclose(model.predict(X, verbose=0),
                               salida(oculta(X)).data, rtol=1e-6)


def test_parada_temprana(capsys):
    from nn import EarlyStopping

    X, y = nn.data.load_iris()
    X_train, X_test, y_train, y_test = nn.data.train_test_split(X, y, test_size=0.3,
                                                                stratify=True)
    Y_train, Y_test = nn.data.one_hot(y_train), nn.data.one_hot(y_test)
    model = _iris_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

    es = EarlyStopping(monitor='val_accuracy', patience=30, min_delta=0.0001)
    H = model.fit(x = X_train, y = Y_train, epochs=4000, batch_size = 20,
                  validation_data = (X_test, Y_test), callbacks=[es], verbose=0)

    print("Epocas = %d" % es.stopped_epoch)  # noqa: UP031
    assert 30 <= es.stopped_epoch < 3999
    assert len(H.history["val_accuracy"]) == es.stopped_epoch + 1
    assert "Epocas = " in capsys.readouterr().out

    # the same with validation_split=0.2 (the slide's alternative)
    es = EarlyStopping(monitor='val_accuracy', patience=30, min_delta=0.0001)
    H = model.fit(X_train, Y_train, epochs=4000, batch_size=20, validation_split=0.2,
                  callbacks=[es], verbose=0)
    assert len(H.epoch) < 4000 and "val_accuracy" in H.history


def test_regularizers():
    from nn import Dense, Input, Sequential
    from nn.regularizers import l1, l1_l2, l2

    model = Sequential([Input(shape=[4])])
    model.add(Dense(32, kernel_regularizer=l2(0.01),
                    bias_regularizer=l2(0.01)))
    model.add(Dense(32, kernel_regularizer=l1_l2(l1=0.01, l2=0.01),
                    bias_regularizer=l1_l2(l1=0.01, l2=0.01)))
    model.add(Dense(3, activation="softmax", kernel_regularizer=l1(0.001)))
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    X, y = nn.data.load_iris()
    T = nn.data.one_hot(y)
    model.fit(X, T, epochs=3, verbose=0)

    d1, d2, d3 = model.layers
    k1, b1, k2, b2, k3 = (d1.kernel.data, d1.bias.data, d2.kernel.data, d2.bias.data,
                          d3.kernel.data)
    penalty = (0.01 * (k1 ** 2).sum() + 0.01 * (b1 ** 2).sum()
               + 0.01 * np.abs(k2).sum() + 0.01 * (k2 ** 2).sum()
               + 0.01 * np.abs(b2).sum() + 0.01 * (b2 ** 2).sum() + 0.001 * np.abs(k3).sum())
    P = model.predict(X, verbose=0)
    data_loss = -np.mean(np.log(np.clip(P[T == 1], 1e-7, 1)))
    assert model.evaluate(X, T, verbose=0) == pytest.approx(data_loss + penalty, rel=1e-4)


def test_dropout(capsys):
    from nn import Dense, Dropout, Sequential

    model = Sequential()
    model.add(Dense(6, input_shape=[3]))
    model.add(Dropout(0.5))
    model.add(Dense(2))

    model.summary()
    capsys.readouterr()
    cells, _, text = summary_rows(model, capsys)
    assert [c[2] for c in cells] == ["24", "0", "14"] and "Total params: 38 " in text
    X = nn.data.StandardScaler().fit_transform(nn.data.load_iris()[0][:, :3])
    Y = X[:, :2] * 0.5
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, Y, epochs=2, verbose=0)
    np.testing.assert_array_equal(model.predict(X, verbose=0), model.predict(X, verbose=0))
    # during fit the mask drops units: with lr=0 the training loss differs from evaluate's
    model.optimizer.learning_rate = 0.0
    trained = model.fit(X, Y, epochs=1, batch_size=150, verbose=0).history["loss"][0]
    assert trained != pytest.approx(model.evaluate(X, Y, verbose=0), rel=1e-3)


def test_sgd_con_momento():
    import optim
    from nn import Dense, Input, Sequential

    model = Sequential([Input(shape=[4]), Dense(8, activation="tanh"),
                        Dense(3, activation="softmax")])
    model.compile(optimizer=optim.SGD(learning_rate=0.01, momentum=0.9),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    X, y = nn.data.load_iris()
    h = model.fit(X, nn.data.one_hot(y), epochs=20, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert model.optimizer.param_groups[0]["momentum"] == 0.9


def test_rmsprop():
    from nn import Dense, Input, Sequential
    from optim import RMSprop

    X, Y = nn.data.load_iris()
    Y = nn.data.one_hot(Y)
    model = Sequential()
    model.add(Input(shape=[4]))
    model.add(Dense(3, activation="softmax"))

    model.compile(
        loss='categorical_crossentropy',
        optimizer = RMSprop(learning_rate=0.001),
        metrics=['accuracy'])

    h = model.fit(X, Y, epochs=10, batch_size=32, verbose=0)
    assert len(h.epoch) == 10 and h.params["steps"] == 5       # 150 / 32 -> 5 batches


def test_adam_mse():
    from nn import Dense, Input, Sequential

    model = Sequential([Input(shape=[4]), Dense(3, activation="sigmoid")])
    model.compile(optimizer='adam', loss='mse')
    assert type(model.optimizer).__name__ == "Adam"
    assert model.optimizer.learning_rate == pytest.approx(0.001)
    X, y = nn.data.load_iris()
    loss = model.fit(X, nn.data.one_hot(y), epochs=3, verbose=0).history["loss"]
    assert isinstance(model.evaluate(X, nn.data.one_hot(y), verbose=0), float)
    assert loss[-1] < loss[0]


def test_curva_roc():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nn import Dense, Input, Sequential

    X, y = nn.data.load_iris()
    Y_true = (y == 2).astype(int)                 # one class against the rest
    model = Sequential([Input(shape=[4]), Dense(4, activation="tanh"),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, Y_true, epochs=30, batch_size=16, verbose=0)
    Y_prob = model.predict(X, verbose=0)[:, 0]

    fpr, tpr, threshold = metrics.roc_curve(Y_true, Y_prob)  # noqa: RUF059
    roc_auc = metrics.auc(fpr, tpr)

    plt.figure()
    plt.title('Receiver Operating Characteristic')
    plt.plot(fpr, tpr, 'b', label = 'AUC = %0.2f' % roc_auc)  # noqa: UP031
    plt.close("all")
    assert 0.5 < roc_auc <= 1.0
